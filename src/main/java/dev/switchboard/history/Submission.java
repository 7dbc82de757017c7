package dev.switchboard.history;

/** One message handed to the writer, with whom to answer for it. */
public record Submission(ChatMessage message, ReplyTo replyTo) {}
