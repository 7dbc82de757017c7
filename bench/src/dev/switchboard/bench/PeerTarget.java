package dev.switchboard.bench;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The peer: Socket.IO 4 nodes with the Redis adapter (bench/peer). Its heap is read through
 * bench/peer-memory.mjs, which scripts/bench preloads into each peer node (NODE_OPTIONS --import):
 * on SIGUSR2 it collects garbage and writes process.memoryUsage() to a file.
 */
final class PeerTarget extends Target {
    private static final Pattern HEAP_USED = Pattern.compile("\"heapUsed\":(\\d+)");
    private final Path memoryDir;

    PeerTarget(List<String> nodes, List<Long> pids, Path memoryDir) {
        super("peer", nodes, pids);
        this.memoryDir = memoryDir;
    }

    @Override
    Client newClient(int node, String user, Sink sink) {
        return new SocketIoClient(node, user, sink);
    }

    @Override
    URI socketUri(int node, String user) {
        return URI.create(
                nodes.get(node).replaceFirst("^http", "ws")
                        + "/socket.io/?EIO=4&transport=websocket");
    }

    @Override
    long heapUsedAfterGc(long pid) {
        try {
            Path file = memoryDir.resolve("memory-" + pid + ".json");
            long before = Files.exists(file) ? Files.getLastModifiedTime(file).toMillis() : 0;
            Files.deleteIfExists(file);
            SwitchboardTarget.run("kill", "-USR2", Long.toString(pid));
            for (int i = 0; i < 100 && !Files.exists(file); i++) Thread.sleep(100);
            Thread.sleep(100); // the hook writes the file in one call; let it finish
            Matcher m = HEAP_USED.matcher(Files.readString(file));
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        } catch (Exception e) {
            return -1;
        }
    }
}
