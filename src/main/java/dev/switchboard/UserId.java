package dev.switchboard;

/** A user id that has passed the contract's name rule. */
public record UserId(String value) implements Comparable<UserId> {
    public UserId {
        Names.require(value, "user id");
    }

    @Override
    public int compareTo(UserId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
