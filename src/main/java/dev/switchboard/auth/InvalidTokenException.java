package dev.switchboard.auth;

/**
 * A token that must be refused; the message says why and is safe to show (it never contains the
 * token).
 */
public class InvalidTokenException extends Exception {
    public InvalidTokenException(String reason) {
        super(reason, null, false, false);
    }
}
