package dev.switchboard.it;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client on a plain socket, for the two inputs java.net.http refuses to send: a text
 * frame whose bytes are not UTF-8, and a handshake whose query string is not a valid URI (say
 * {@code token=%zz}). Only what FuzzIT needs: one handshake, masked single frames out, unmasked
 * text and close frames in.
 */
final class RawWebSocket implements AutoCloseable {
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final int status;

    private RawWebSocket(Socket socket, DataInputStream in, OutputStream out, int status) {
        this.socket = socket;
        this.in = in;
        this.out = out;
        this.status = status;
    }

    /**
     * Sends the upgrade for {@code /ws?<rawQuery>} exactly as given and reads the answer's status
     * line and headers.
     */
    static RawWebSocket open(SwitchboardNode node, String rawQuery) throws IOException {
        var socket = new Socket("127.0.0.1", node.port());
        socket.setSoTimeout(10_000);
        var out = socket.getOutputStream();
        out.write(
                ("GET /ws?"
                                + rawQuery
                                + " HTTP/1.1\r\nHost: 127.0.0.1:"
                                + node.port()
                                + "\r\nUpgrade: websocket\r\n"
                                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        var in = new DataInputStream(socket.getInputStream());
        String statusLine = line(in);
        while (!line(in).isEmpty()) {
            // headers: nothing in them matters here
        }
        String[] parts = statusLine.split(" ");
        return new RawWebSocket(
                socket, in, out, parts.length > 1 ? Integer.parseInt(parts[1]) : -1);
    }

    /** The handshake's HTTP status: 101 when the upgrade was accepted. */
    int status() {
        return status;
    }

    void send(int opcode, byte[] payload) throws IOException {
        var frame = new ByteArrayOutputStream();
        frame.write(0x80 | opcode);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length & 0xff);
        } else {
            frame.write(0x80 | 127);
            frame.writeBytes(ByteBuffer.allocate(8).putLong(payload.length).array());
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        frame.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) frame.write(payload[i] ^ mask[i % 4]);
        out.write(frame.toByteArray());
        out.flush();
    }

    /**
     * The next text frame's text, or {@code "close:<code>"} for a close frame; {@code "close:-1"}
     * when the connection ends without one, null when nothing comes within the timeout. Pings are
     * skipped.
     */
    String next(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        try {
            var message = new ByteArrayOutputStream();
            while (true) {
                int b0 = in.readUnsignedByte();
                long length = in.readUnsignedByte() & 0x7f;
                if (length == 126) length = in.readUnsignedShort();
                else if (length == 127) length = in.readLong();
                byte[] payload = new byte[(int) length];
                in.readFully(payload);
                int opcode = b0 & 0x0f;
                if (opcode == 0x8)
                    return "close:"
                            + (payload.length >= 2
                                    ? ((payload[0] & 0xff) << 8 | (payload[1] & 0xff))
                                    : 1005);
                if (opcode == 0x9 || opcode == 0xA) continue;
                message.writeBytes(payload);
                if ((b0 & 0x80) != 0) return message.toString(StandardCharsets.UTF_8);
            }
        } catch (SocketTimeoutException e) {
            return null;
        } catch (java.io.EOFException | java.net.SocketException e) {
            return "close:-1";
        }
    }

    private static String line(DataInputStream in) throws IOException {
        var line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') line.append((char) c);
        }
        return line.toString();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing a test's socket: nothing to do about it
        }
    }
}
