/**
 * Switchboard: real-time chat and notifications for Jakarta EE. This package holds only what every
 * feature shares: the checked names ({@link dev.switchboard.RoomName}, {@link
 * dev.switchboard.UserId}) and the contract's errors. Each feature lives in its own sub-package.
 */
package dev.switchboard;
