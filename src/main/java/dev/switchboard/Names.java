package dev.switchboard;

/**
 * The contract's one rule for room names and user ids: they become broker routing keys, so no dots
 * or wildcards.
 */
final class Names {
    private Names() {}

    /**
     * Checks {@code ^[A-Za-z0-9_-]{1,64}$}. A loop rather than a regex: every stored message that a
     * persister or a history read parses passes here twice, and the regex was a third of a
     * persister's time.
     */
    static String require(String value, String what) {
        if (!valid(value))
            throw new SwitchboardException(
                    ErrorCode.INVALID_NAME, what + " must match ^[A-Za-z0-9_-]{1,64}$");
        return value;
    }

    static boolean valid(String value) {
        if (value == null || value.isEmpty() || value.length() > 64) return false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok =
                    (c >= 'a' && c <= 'z')
                            || (c >= 'A' && c <= 'Z')
                            || (c >= '0' && c <= '9')
                            || c == '_'
                            || c == '-';
            if (!ok) return false;
        }
        return true;
    }
}
