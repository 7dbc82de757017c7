package dev.switchboard;

import java.util.regex.Pattern;

/** The contract's one rule for room names and user ids: they become broker routing keys, so no dots or wildcards. */
final class Names {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private Names() {
    }

    static String require(String value, String what) {
        if (value == null || !VALID.matcher(value).matches()) {
            throw new SwitchboardException(ErrorCode.INVALID_NAME,
                    what + " must match ^[A-Za-z0-9_-]{1,64}$");
        }
        return value;
    }
}
