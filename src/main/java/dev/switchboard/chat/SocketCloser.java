package dev.switchboard.chat;

/** Closes one socket with a code and reason, without blocking the caller. */
interface SocketCloser {
    void close(int code, String reason);
}
