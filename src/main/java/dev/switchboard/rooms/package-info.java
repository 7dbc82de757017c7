/**
 * Room membership across the whole deployment: which users are in which room through which sockets.
 * Membership is per socket; a user is a member while at least one of their sockets has joined.
 */
package dev.switchboard.rooms;
