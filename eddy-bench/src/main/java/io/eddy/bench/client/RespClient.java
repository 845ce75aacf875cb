package io.eddy.bench.client;

import io.eddy.bench.workload.Clock;
import io.eddy.bench.workload.Doc;
import io.eddy.bench.workload.Latency;
import io.eddy.bench.workload.WriteTarget;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * A minimal Redis client over RESP for pub/sub: subscriber connections (one {@code SUBSCRIBE} each, as
 * Redis delivers one copy of a message per subscribed connection) and one pipelined publisher. Messages
 * are scanned for {@code sent_ns} like Eddy's events.
 */
public final class RespClient implements AutoCloseable {
    private final Net net;
    private final String host;
    private final int port;
    private final List<Channel> subscribers = new ArrayList<>();
    private final LongAdder subscribed = new LongAdder();
    private final LongAdder messages = new LongAdder();
    private volatile Latency latency = new Latency();
    private Channel publisher;
    private final ConcurrentLinkedQueue<CompletableFuture<Long>> pending = new ConcurrentLinkedQueue<>();

    public RespClient(Net net, String host, int port) {
        this.net = net;
        this.host = host;
        this.port = port;
    }

    public void latency(Latency l) { this.latency = l; }

    public long messages() { return messages.sum(); }

    /** Opens {@code n} subscriber connections on {@code channel}; waits until all are confirmed. */
    public void subscribe(int n, String channel) throws InterruptedException {
        long target = subscribed.sum() + n;
        byte[] cmd = command("SUBSCRIBE", channel);
        for (int i = 0; i < n; i++) {
            Channel ch = connect(net.group(), new SubscriberDecoder());
            ch.writeAndFlush(Unpooled.wrappedBuffer(cmd));
            subscribers.add(ch);
            if (i % 500 == 499) Thread.sleep(5);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (subscribed.sum() < target) {
            if (System.nanoTime() > deadline) throw new IllegalStateException("only " + subscribed.sum() + " of " + target + " subscribed");
            Thread.sleep(10);
        }
    }

    /** Closes every subscriber connection. */
    public void unsubscribeAll() {
        for (Channel c : subscribers) c.close().syncUninterruptibly();
        subscribers.clear();
    }

    /** Waits until {@code messages()} reaches {@code expected}, or nothing arrives for 3 s, or {@code seconds} pass. */
    public long awaitMessages(long expected, double seconds) throws InterruptedException {
        return io.eddy.bench.peer.Await.count(messages::sum, expected, seconds);
    }

    /** A publisher of documents to {@code channel}, as a {@link WriteTarget} (acknowledged by Redis's reply). */
    public WriteTarget publisher(String channel, String payload) throws InterruptedException {
        publisher = connect(net.queryGroup(), new ReplyDecoder()); // apart from the subscribers, as Eddy's writers
        return doc -> {
            CompletableFuture<Long> f = new CompletableFuture<>();
            byte[] cmd = command("PUBLISH", channel, json(doc, payload));
            // enqueue and write on the event loop so replies match the queue order
            publisher.eventLoop().execute(() -> {
                pending.add(f);
                publisher.writeAndFlush(Unpooled.wrappedBuffer(cmd));
            });
            return f;
        };
    }

    /** The document as the JSON row a subscriber receives. */
    public static String json(Doc d, String payload) {
        return "{\"owner\":\"" + d.owner() + "\",\"status\":\"" + d.status() + "\",\"score\":" + d.score()
                + ",\"payload\":\"" + payload + "\",\"sent_ns\":" + d.sentNs() + "}";
    }

    static byte[] command(String... args) {
        StringBuilder sb = new StringBuilder();
        sb.append('*').append(args.length).append("\r\n");
        for (String a : args) {
            byte[] b = a.getBytes(StandardCharsets.UTF_8);
            sb.append('$').append(b.length).append("\r\n").append(a).append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private Channel connect(io.netty.channel.EventLoopGroup group, ByteToMessageDecoder decoder) throws InterruptedException {
        return new Bootstrap().group(group).channel(net.channelClass())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(decoder);
                    }
                }).connect(host, port).sync().channel();
    }

    /** Reads {@code *3 $message $chan $payload} pushes and {@code subscribe} confirmations. */
    private final class SubscriberDecoder extends ByteToMessageDecoder {
        private byte[] scratch = new byte[1024];

        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            while (in.isReadable()) {
                int start = in.readerIndex();
                if (!parsePush(in)) {
                    in.readerIndex(start);
                    return;
                }
            }
        }

        /** Parses one push; false (and nothing consumed, by the caller's reset) when incomplete. */
        private boolean parsePush(ByteBuf in) {
            long n = readLineNumber(in, (byte) '*');
            if (n < 0) return false;
            byte[] kind = null;
            for (int i = 0; i < n; i++) {
                if (!in.isReadable()) return false;
                byte t = in.getByte(in.readerIndex());
                if (t == ':') {
                    if (readLineNumber(in, (byte) ':') < 0) return false;
                    continue;
                }
                long len = readLineNumber(in, (byte) '$');
                if (len < 0 || in.readableBytes() < len + 2) return false;
                if (i == 0) {
                    kind = new byte[(int) len];
                    in.readBytes(kind);
                } else if (i == 2 && kind != null && kind.length == 7) { // "message"
                    if (scratch.length < len) scratch = new byte[(int) len * 2];
                    in.readBytes(scratch, 0, (int) len);
                    long sent = EventScan.sentNs(scratch, 0, (int) len);
                    if (sent >= 0) latency.recordNanos(Clock.now() - sent);
                    messages.increment();
                } else {
                    in.skipBytes((int) len);
                }
                in.skipBytes(2);
            }
            if (kind != null && kind.length == 9) subscribed.increment(); // "subscribe"
            return true;
        }
    }

    /** Reads {@code :n} replies to PUBLISH, completing the pending futures in order. */
    private final class ReplyDecoder extends ByteToMessageDecoder {
        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
            while (in.isReadable()) {
                int start = in.readerIndex();
                byte t = in.getByte(start);
                long v = readLineNumber(in, t);
                if (v == -1 && in.readerIndex() == start) return;
                CompletableFuture<Long> f = pending.poll();
                if (f == null) continue;
                if (t == ':') f.complete(v);
                else f.completeExceptionally(new IllegalStateException("redis error reply"));
            }
        }
    }

    /**
     * Reads {@code <type><digits>\r\n} and returns the number; returns -1 with the reader index unchanged
     * when the line is incomplete. For non-numeric lines (errors) skips the line and returns -2.
     */
    static long readLineNumber(ByteBuf in, byte type) {
        int start = in.readerIndex();
        int eol = in.indexOf(start, in.writerIndex(), (byte) '\n');
        if (eol < 0) return -1;
        if (in.getByte(start) != type) throw new IllegalStateException("unexpected RESP type " + (char) in.getByte(start));
        long v = 0;
        boolean neg = false;
        boolean numeric = true;
        for (int i = start + 1; i < eol - 1; i++) {
            byte b = in.getByte(i);
            if (b == '-' && i == start + 1) neg = true;
            else if (b >= '0' && b <= '9') v = v * 10 + (b - '0');
            else numeric = false;
        }
        in.readerIndex(eol + 1);
        if (!numeric) return -2;
        return neg ? -v : v;
    }

    @Override
    public void close() {
        unsubscribeAll();
        if (publisher != null) publisher.close().syncUninterruptibly();
    }
}
