package dev.switchboard;

/** A room name that has passed the contract's name rule. */
public record RoomName(String value) {
    public RoomName {
        Names.require(value, "room");
    }

    @Override
    public String toString() {
        return value;
    }
}
