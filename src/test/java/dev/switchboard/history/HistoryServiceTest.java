package dev.switchboard.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.switchboard.RoomName;
import dev.switchboard.TimeOrderedIds;
import dev.switchboard.UserId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HistoryServiceTest {
    private static final RoomName ROOM = new RoomName("hs-lobby");
    private static final RoomName OTHER_ROOM = new RoomName("hs-other");
    private static final UserId ALICE = new UserId("hs-alice");
    private static final UserId BOB = new UserId("hs-bob");
    private static final UserId CAROL = new UserId("hs-carol");
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    /**
     * Our own store over two lists, with the JPA queries' meaning (a fake of our store, not of a
     * port).
     */
    static final class ListMessageStore extends MessageStore {
        final List<RoomMessage> rooms = new ArrayList<>();
        final List<DirectMessage> directs = new ArrayList<>();

        /** Room pages read: zero when the cache answered. */
        int pageReads;

        int maxSeqReads;

        @Override
        public long maxSeq(RoomName room) {
            maxSeqReads++;
            return rooms.stream()
                    .filter(m -> m.room().equals(room))
                    .mapToLong(RoomMessage::seq)
                    .max()
                    .orElse(0);
        }

        @Override
        public List<RoomMessage> roomPage(RoomName room, Long beforeSeq, int limit) {
            pageReads++;
            var newest =
                    rooms.stream()
                            .filter(
                                    m ->
                                            m.room().equals(room)
                                                    && (beforeSeq == null || m.seq() < beforeSeq))
                            .sorted(Comparator.comparingLong(RoomMessage::seq).reversed())
                            .limit(limit)
                            .toList();
            return reversed(newest);
        }

        @Override
        public List<RoomMessage> roomRange(RoomName room, long after, long upTo, int limit) {
            return rooms.stream()
                    .filter(m -> m.room().equals(room) && m.seq() > after && m.seq() <= upTo)
                    .sorted(Comparator.comparingLong(RoomMessage::seq))
                    .limit(limit)
                    .toList();
        }

        @Override
        public List<DirectMessage> conversationPage(
                UserId a, UserId b, String beforeId, int limit) {
            String conversation = DirectMessage.conversation(a, b);
            var newest =
                    directs.stream()
                            .filter(
                                    m ->
                                            DirectMessage.conversation(m.from(), m.to())
                                                            .equals(conversation)
                                                    && (beforeId == null
                                                            || m.id().compareTo(beforeId) < 0))
                            .sorted(Comparator.comparing(DirectMessage::id).reversed())
                            .limit(limit)
                            .toList();
            return reversed(newest);
        }

        private static <T> List<T> reversed(List<T> list) {
            var copy = new ArrayList<>(list);
            Collections.reverse(copy);
            return copy;
        }
    }

    private final ListMessageStore store = new ListMessageStore();
    private final HistoryService history = new HistoryService();
    private final TimeOrderedIds ids = new TimeOrderedIds();

    @BeforeEach
    void wire() {
        var settings = new HistorySettings();
        settings.onJoin = 5;
        settings.recoverMax = 20;
        history.store = store;
        history.settings = settings;
        history.recent = recent;
        history.seqs = seqs;
    }

    private final InMemorySeqCounter seqs = new InMemorySeqCounter();

    /** Keeps 10 messages per room, as the cache would after {@link HistoryService#remember}. */
    private final InMemoryRecentHistory recent = new InMemoryRecentHistory(10, 100);

    private void postAndRemember(RoomName room, int count) {
        int before = store.rooms.size();
        postToRoom(room, count);
        history.remember(store.rooms.subList(before, store.rooms.size()));
    }

    // ---- joined from the recent-history cache

    @Test
    void a_join_without_since_is_answered_from_the_cache_without_the_store() {
        postAndRemember(ROOM, 30);
        store.rooms.clear(); // the store must not be asked

        var joined = history.onJoin(ROOM, null);

        assertEquals(range(26, 30), seqs(joined.messages()));
        assertEquals(30, joined.seq());
    }

    @Test
    void a_short_recovery_is_answered_from_the_cache() {
        postAndRemember(ROOM, 30);
        store.rooms.clear();

        var joined = history.onJoin(ROOM, 24L);

        assertEquals(range(25, 30), seqs(joined.messages()));
        assertEquals(Boolean.TRUE, joined.recovered());
    }

    @Test
    void a_recovery_older_than_the_cache_reads_the_store_with_the_same_answer() {
        postAndRemember(ROOM, 30);

        var joined = history.onJoin(ROOM, 12L);

        assertEquals(range(13, 30), seqs(joined.messages()), "the cache keeps 21..30 only");
        assertEquals(Boolean.TRUE, joined.recovered());
    }

    @Test
    void a_recovery_over_a_message_missing_from_the_cache_reads_the_store() {
        postToRoom(ROOM, 30);
        history.remember(
                store.rooms.stream()
                        .filter(m -> m.seq() > 20 && m.seq() != 26)
                        .toList()); // the append of 26 failed

        assertEquals(range(23, 30), seqs(history.onJoin(ROOM, 22L).messages()));
        assertEquals(range(26, 30), seqs(history.onJoin(ROOM, null).messages()));
    }

    @Test
    void a_recovery_is_completed_with_cached_messages_missing_from_the_middle_of_the_store() {
        postAndRemember(ROOM, 30); // the cache keeps 21..30
        // persisters on two nodes: the batch with 29..30 committed before the one with 27..28
        store.rooms.removeIf(m -> m.seq() == 27 || m.seq() == 28);

        var joined = history.onJoin(ROOM, 15L); // older than the cache: the store answers

        assertEquals(range(16, 30), seqs(joined.messages()));
        assertEquals(30, joined.seq());
        assertEquals(Boolean.TRUE, joined.recovered());
        var tooFar = history.onJoin(ROOM, 5L); // 25 missed, recover-max 20
        assertEquals(range(26, 30), seqs(tooFar.messages()));
        assertEquals(Boolean.FALSE, tooFar.recovered());
    }

    /** Stores messages with seqs reserved as the writer does, without remembering them. */
    private void postToRoom(RoomName room, int count) {
        long next = seqs.reserve(room, count, () -> store.maxSeq(room));
        for (long seq = next; seq < next + count; seq++) {
            store.rooms.add(
                    new RoomMessage(
                            ids.next(T0.toEpochMilli() + seq),
                            room,
                            seq,
                            ALICE,
                            "Alice",
                            "m" + seq,
                            T0.plusMillis(seq),
                            "node-1"));
        }
    }

    private DirectMessage direct(UserId from, UserId to, int n) {
        var m =
                new DirectMessage(
                        ids.next(T0.toEpochMilli() + n),
                        from,
                        from.value(),
                        to,
                        "d" + n,
                        T0.plusMillis(n),
                        "node-1");
        store.directs.add(m);
        return m;
    }

    private static List<Long> seqs(List<RoomMessage> messages) {
        return messages.stream().map(RoomMessage::seq).toList();
    }

    private static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    // ---- joined

    @Test
    void a_join_without_since_gets_the_latest_on_join_messages_oldest_first() {
        postToRoom(ROOM, 30);
        postToRoom(OTHER_ROOM, 40);

        var joined = history.onJoin(ROOM, null);

        assertEquals(range(26, 30), seqs(joined.messages()));
        assertEquals(30, joined.seq());
        assertNull(joined.recovered(), "recovered is only reported when since was given");
    }

    @Test
    void a_join_without_since_in_a_room_with_fewer_messages_gets_them_all() {
        postToRoom(ROOM, 3);
        assertEquals(range(1, 3), seqs(history.onJoin(ROOM, null).messages()));
    }

    @Test
    void a_join_of_an_empty_room_gets_no_messages_and_seq_0() {
        var joined = history.onJoin(ROOM, null);
        assertEquals(List.of(), joined.messages());
        assertEquals(0, joined.seq());
    }

    @Test
    void joins_of_a_room_without_messages_ask_the_store_once_for_its_latest_seq_then_nothing() {
        history.onJoin(ROOM, null);
        var again = history.onJoin(ROOM, null);
        var recovering = history.onJoin(ROOM, 7L);

        assertEquals(List.of(), again.messages());
        assertEquals(0, again.seq());
        assertEquals(List.of(), recovering.messages());
        assertEquals(Boolean.TRUE, recovering.recovered());
        assertEquals(1, store.maxSeqReads, "the counter learns the room from the store once");
        assertEquals(0, store.pageReads);
    }

    @Test
    void a_room_the_counter_does_not_know_is_learnt_from_the_store_with_its_messages() {
        postToRoom(ROOM, 3);
        history.seqs = new InMemorySeqCounter(); // the counter's state lost (Redis restarted empty)

        assertEquals(range(1, 3), seqs(history.onJoin(ROOM, null).messages()));
    }

    @Test
    void a_join_is_answered_from_the_store_when_the_counter_is_down() {
        postToRoom(ROOM, 3);
        history.seqs =
                new SeqCounter() {
                    @Override
                    public long reserve(
                            RoomName room, int count, java.util.function.LongSupplier storedMax) {
                        throw new IllegalStateException("down");
                    }

                    @Override
                    public long current(RoomName room, java.util.function.LongSupplier storedMax) {
                        throw new IllegalStateException("down");
                    }

                    @Override
                    public void release(RoomName room, long first, int count) {}
                };

        var joined = history.onJoin(ROOM, null);

        assertEquals(range(1, 3), seqs(joined.messages()));
        assertEquals(3, joined.seq());
    }

    @Test
    void
            a_room_whose_first_message_was_accepted_is_read_from_the_store_even_before_the_cache_has_it() {
        history.onJoin(ROOM, null); // the counter now knows the room at 0
        postToRoom(ROOM, 1);

        assertEquals(range(1, 1), seqs(history.onJoin(ROOM, null).messages()));
    }

    @Test
    void a_join_since_n_with_few_missed_recovers_exactly_the_messages_after_n() {
        postToRoom(ROOM, 30);
        postToRoom(OTHER_ROOM, 40);

        var joined = history.onJoin(ROOM, 17L);

        assertEquals(range(18, 30), seqs(joined.messages()));
        assertEquals(30, joined.seq());
        assertEquals(Boolean.TRUE, joined.recovered());
    }

    @Test
    void a_join_that_missed_exactly_recover_max_is_still_recovered() {
        postToRoom(ROOM, 30);
        var joined = history.onJoin(ROOM, 10L); // 20 missed, recover-max 20
        assertEquals(range(11, 30), seqs(joined.messages()));
        assertEquals(Boolean.TRUE, joined.recovered());
    }

    @Test
    void a_join_since_0_recovers_the_whole_room_when_it_fits() {
        postToRoom(ROOM, 12);
        var joined = history.onJoin(ROOM, 0L);
        assertEquals(range(1, 12), seqs(joined.messages()));
        assertEquals(Boolean.TRUE, joined.recovered());
    }

    @Test
    void a_join_that_missed_more_than_recover_max_gets_the_latest_page_and_recovered_false() {
        postToRoom(ROOM, 30);
        var joined = history.onJoin(ROOM, 9L); // 21 missed
        assertEquals(range(26, 30), seqs(joined.messages()));
        assertEquals(30, joined.seq());
        assertEquals(Boolean.FALSE, joined.recovered());
    }

    @Test
    void a_join_since_the_latest_seq_gets_nothing_and_is_recovered() {
        postToRoom(ROOM, 30);
        var joined = history.onJoin(ROOM, 30L);
        assertEquals(List.of(), joined.messages());
        assertEquals(30, joined.seq());
        assertEquals(Boolean.TRUE, joined.recovered());
    }

    @Test
    void a_join_since_beyond_the_latest_seq_gets_nothing_and_is_recovered() {
        postToRoom(ROOM, 30);
        var joined = history.onJoin(ROOM, 99L);
        assertEquals(List.of(), joined.messages());
        assertEquals(Boolean.TRUE, joined.recovered());
    }

    // ---- room pages

    @Test
    void a_room_page_of_exactly_the_remaining_messages_has_no_more() {
        postToRoom(ROOM, 10);
        var page = history.roomPage(ROOM, null, 10);
        assertEquals(range(1, 10), seqs(page.messages()));
        assertFalse(page.hasMore());
    }

    @Test
    void a_room_page_with_one_older_message_left_has_more() {
        postToRoom(ROOM, 11);
        var page = history.roomPage(ROOM, null, 10);
        assertEquals(range(2, 11), seqs(page.messages()));
        assertTrue(page.hasMore());
    }

    @Test
    void a_room_page_before_a_seq_holds_the_newest_older_messages() {
        postToRoom(ROOM, 20);
        var page = history.roomPage(ROOM, 7L, 5); // seqs 1..6 are older than 7
        assertEquals(range(2, 6), seqs(page.messages()));
        assertTrue(page.hasMore());

        var last = history.roomPage(ROOM, 6L, 5); // seqs 1..5: exactly a page
        assertEquals(range(1, 5), seqs(last.messages()));
        assertFalse(last.hasMore());
    }

    @Test
    void paging_back_through_a_room_returns_every_message_once() {
        postToRoom(ROOM, 23);
        postToRoom(OTHER_ROOM, 9);
        var seen = new ArrayList<Long>();
        Long before = null;
        HistoryService.Page<RoomMessage> page;
        do {
            page = history.roomPage(ROOM, before, 5);
            seen.addAll(0, seqs(page.messages()));
            before = page.messages().get(0).seq();
        } while (page.hasMore());
        assertEquals(range(1, 23), seen);
    }

    @Test
    void an_empty_room_page_has_no_more() {
        var page = history.roomPage(ROOM, null, 50);
        assertEquals(List.of(), page.messages());
        assertFalse(page.hasMore());
    }

    // ---- room pages from the recent-history cache (it keeps the latest 10)

    @Test
    void a_room_page_the_cache_holds_with_the_message_before_it_is_answered_without_the_store() {
        postAndRemember(ROOM, 30); // the cache keeps 21..30

        var newest = history.roomPage(ROOM, null, 5);
        var older = history.roomPage(ROOM, 27L, 5); // 22..26, and 21 says there is more

        assertEquals(range(26, 30), seqs(newest.messages()));
        assertTrue(newest.hasMore());
        assertEquals(range(22, 26), seqs(older.messages()));
        assertTrue(older.hasMore());
        assertEquals(0, store.pageReads, "the store was not asked");
    }

    @Test
    void a_room_page_the_cache_holds_only_in_part_is_read_from_the_store() {
        postAndRemember(ROOM, 30);

        var page = history.roomPage(ROOM, null, 10); // 21..30 kept, but not 20: is there more?
        var across = history.roomPage(ROOM, 24L, 5); // 19..23: 19 and 20 are not kept

        assertEquals(range(21, 30), seqs(page.messages()));
        assertTrue(page.hasMore());
        assertEquals(range(19, 23), seqs(across.messages()));
        assertTrue(across.hasMore());
        assertEquals(2, store.pageReads);
    }

    @Test
    void a_room_page_before_a_seq_older_than_the_cache_is_read_from_the_store() {
        postAndRemember(ROOM, 30);

        var atTheEdge = history.roomPage(ROOM, 26L, 5); // 21..25 kept, 20 not
        var older = history.roomPage(ROOM, 15L, 5);

        assertEquals(range(21, 25), seqs(atTheEdge.messages()));
        assertTrue(atTheEdge.hasMore());
        assertEquals(range(10, 14), seqs(older.messages()));
        assertTrue(older.hasMore());
        assertEquals(2, store.pageReads);
    }

    @Test
    void a_room_page_is_completed_with_the_cached_messages_the_store_lags_behind() {
        postAndRemember(ROOM, 30);
        store.rooms.removeIf(m -> m.seq() > 25); // the persisters have not written 26..30 yet

        var page = history.roomPage(ROOM, null, 15);

        assertEquals(range(16, 30), seqs(page.messages()));
        assertTrue(page.hasMore());
        assertEquals(1, store.pageReads, "15 messages are more than the cache holds");
    }

    @Test
    void a_room_page_is_completed_with_cached_messages_missing_from_the_middle_of_the_store() {
        postAndRemember(ROOM, 30);
        // persisters on two nodes: the batch with 29..30 committed before the one with 27..28
        store.rooms.removeIf(m -> m.seq() == 27 || m.seq() == 28);

        var page = history.roomPage(ROOM, null, 15);
        var before = history.roomPage(ROOM, 29L, 12);

        assertEquals(range(16, 30), seqs(page.messages()));
        assertTrue(page.hasMore());
        assertEquals(range(17, 28), seqs(before.messages()));
        assertTrue(before.hasMore());
    }

    @Test
    void a_room_page_has_more_exactly_when_an_older_message_exists_at_the_cache_s_edges() {
        postAndRemember(ROOM, 10); // the whole room is kept

        var all = history.roomPage(ROOM, null, 10);
        var allButOne = history.roomPage(ROOM, null, 9);
        var first = history.roomPage(ROOM, 2L, 5);
        var nothing = history.roomPage(ROOM, 1L, 5);

        assertEquals(range(1, 10), seqs(all.messages()));
        assertFalse(all.hasMore());
        assertEquals(range(2, 10), seqs(allButOne.messages()));
        assertTrue(allButOne.hasMore());
        assertEquals(List.of(1L), seqs(first.messages()));
        assertFalse(first.hasMore());
        assertEquals(List.of(), nothing.messages());
        assertFalse(nothing.hasMore());
        assertEquals(0, store.pageReads, "a room the cache holds whole needs no store");

        postAndRemember(ROOM, 1); // 11 messages: the cache keeps 2..11
        var page = history.roomPage(ROOM, null, 10);
        assertEquals(range(2, 11), seqs(page.messages()));
        assertTrue(page.hasMore(), "seq 1 is only in the store");
        assertEquals(1, store.pageReads);
    }

    @Test
    void a_before_beyond_the_cache_s_latest_message_is_read_from_the_store() {
        postToRoom(ROOM, 20);
        history.remember(store.rooms.subList(0, 15)); // an append of 16..20 failed: the cache lags

        var page = history.roomPage(ROOM, 21L, 3);

        assertEquals(range(18, 20), seqs(page.messages()));
        assertTrue(page.hasMore());
        assertEquals(1, store.pageReads);
    }

    @Test
    void a_room_page_is_read_from_the_store_while_the_cache_is_down() {
        postToRoom(ROOM, 12);
        history.recent =
                new RecentHistory() {
                    @Override
                    public void append(List<RoomMessage> stored) {
                        throw new IllegalStateException("redis down");
                    }

                    @Override
                    public List<RoomMessage> latest(RoomName room) {
                        throw new IllegalStateException("redis down");
                    }
                };
        var page = history.roomPage(ROOM, null, 5);
        assertEquals(range(8, 12), seqs(page.messages()));
        assertTrue(page.hasMore());
    }

    @Test
    void every_room_page_is_the_same_from_the_cache_as_from_the_store() {
        int fromCache = 0;
        int fromStoreToo = 0;
        for (int total : new int[] {1, 9, 10, 11, 25}) {
            RoomName room = new RoomName("hs-same-" + total);
            postAndRemember(room, total);
            postAndRemember(OTHER_ROOM, 3);
            var storeOnly = new HistoryService();
            storeOnly.store = store;
            storeOnly.settings = history.settings;
            storeOnly.recent = new InMemoryRecentHistory(10, 100); // nothing kept
            for (Long before = null;
                    before == null || before <= total + 2;
                    before = before == null ? 1L : before + 1) {
                for (int limit = 1; limit <= 12; limit++) {
                    var fromStore = storeOnly.roomPage(room, before, limit);
                    int reads = store.pageReads;
                    assertEquals(
                            fromStore,
                            history.roomPage(room, before, limit),
                            total + " messages, before " + before + ", limit " + limit);
                    if (store.pageReads == reads) fromCache++;
                    else fromStoreToo++;
                }
            }
        }
        assertTrue(
                fromCache > 0 && fromStoreToo > 0,
                "both ways were compared: "
                        + fromCache
                        + " pages from the cache, "
                        + fromStoreToo
                        + " from the store");
    }

    @Test
    void every_room_page_is_the_same_with_a_lagging_store_as_with_the_whole_store() {
        postAndRemember(ROOM, 25);
        var whole = new ListMessageStore();
        whole.rooms.addAll(store.rooms);
        var wholeStore = new HistoryService();
        wholeStore.store = whole;
        wholeStore.settings = history.settings;
        wholeStore.recent = new InMemoryRecentHistory(10, 100);
        store.rooms.removeIf(
                m -> m.seq() == 17 || m.seq() > 22); // written out of order, and not yet at the end
        for (Long before = null;
                before == null || before <= 27;
                before = before == null ? 1L : before + 1) {
            for (int limit = 1; limit <= 12; limit++) {
                assertEquals(
                        wholeStore.roomPage(ROOM, before, limit),
                        history.roomPage(ROOM, before, limit),
                        "before " + before + ", limit " + limit);
            }
        }
    }

    // ---- conversation pages

    @Test
    void a_conversation_page_holds_both_directions_and_no_other_conversation() {
        var m1 = direct(ALICE, BOB, 1);
        direct(ALICE, CAROL, 2);
        var m3 = direct(BOB, ALICE, 3);
        var page = history.conversationPage(ALICE, BOB, null, 10);
        assertEquals(List.of(m1, m3), page.messages());
        assertFalse(page.hasMore());
        assertEquals(page, history.conversationPage(BOB, ALICE, null, 10));
    }

    @Test
    void a_conversation_page_has_more_exactly_when_an_older_message_is_left() {
        var all = new ArrayList<DirectMessage>();
        for (int i = 1; i <= 7; i++)
            all.add(direct(i % 2 == 0 ? ALICE : BOB, i % 2 == 0 ? BOB : ALICE, i));

        var newest = history.conversationPage(ALICE, BOB, null, 3);
        assertEquals(all.subList(4, 7), newest.messages());
        assertTrue(newest.hasMore());

        var older =
                history.conversationPage(
                        ALICE,
                        BOB,
                        all.get(4).id(),
                        4); // the 4 before the 5th: exactly what is left
        assertEquals(all.subList(0, 4), older.messages());
        assertFalse(older.hasMore());
    }
}
