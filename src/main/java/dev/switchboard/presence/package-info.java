/** Presence: who is online, through how many sockets, with which status. */
package dev.switchboard.presence;
