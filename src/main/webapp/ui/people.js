// Names and presence of the users the page has heard of. Presence is per user, not per room.

export const STATUSES = ['online', 'away', 'busy', 'offline'];

export class People {
  constructor() {
    this.names = new Map();            // user id -> display name, from messages and member_joined
    this.presence = new Map();         // user id -> status
    this.presenceFrameAt = new Map();  // user id -> when a `presence` frame last set it (beats older HTTP answers)
  }

  learnName(user, name) {
    if (name) this.names.set(user, String(name));
  }

  statusOf(user) {
    return this.presence.get(user) || 'unknown';
  }
}
