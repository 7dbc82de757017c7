package dev.switchboard.chat;

/** The close codes the contract uses. */
final class CloseCodes {
    static final int GOING_AWAY = 1001;
    static final int VIOLATED_POLICY = 1008;
    static final int TOO_BIG = 1009;
    static final int TRY_AGAIN_LATER = 1013;

    private CloseCodes() {}
}
