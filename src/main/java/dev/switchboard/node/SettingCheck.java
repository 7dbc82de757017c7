package dev.switchboard.node;

/**
 * The one way a settings class refuses a value at start: the message names the key and the value.
 */
public final class SettingCheck {
    private SettingCheck() {}

    /**
     * @throws IllegalStateException with {@code message} (which stops the deployment) unless {@code
     *     ok}
     */
    public static void require(boolean ok, String message) {
        if (!ok) throw new IllegalStateException(message);
    }
}
