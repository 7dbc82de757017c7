/**
 * Presence: who is online, through how many sockets, with which status; this node's heartbeat and
 * the reaping of dead nodes. May use rooms (a dead node's memberships), never chat: the sockets it
 * needs are behind {@link dev.switchboard.presence.NodeSockets}.
 */
package dev.switchboard.presence;
