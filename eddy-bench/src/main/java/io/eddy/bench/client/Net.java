package io.eddy.bench.client;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The client side's Netty event loops: epoll when the native library loads, NIO otherwise. Two groups,
 * each shared by every connection of its kind, so the client's thread count does not grow with the
 * subscribers: one for the subscribers' connections, one for the connections that carry queries and
 * writes. Apart, an open-loop writer's requests do not wait behind the subscribers' reads on the same
 * event loop (which, at the fan-out rates, delayed writes past their intended send time and counted the
 * client's own backlog as delivery latency), as writers and subscribers are different clients in use.
 */
public final class Net implements AutoCloseable {
    private final EventLoopGroup group;
    private final EventLoopGroup queryGroup;
    private final Class<? extends SocketChannel> channelClass;

    public Net(int threads) {
        boolean epoll = Epoll.isAvailable();
        group = newGroup(threads, "bench-io", epoll);
        queryGroup = newGroup(threads, "bench-query-io", epoll);
        channelClass = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    private static EventLoopGroup newGroup(int threads, String name, boolean epoll) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }

    /** For subscribers' connections (streams, feeds, the peers' listeners). */
    public EventLoopGroup group() { return group; }

    /** For the connections that carry queries and writes. */
    public EventLoopGroup queryGroup() { return queryGroup; }

    public Class<? extends SocketChannel> channelClass() { return channelClass; }

    public String transport() { return channelClass == EpollSocketChannel.class ? "epoll" : "nio"; }

    @Override
    public void close() {
        var a = group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS);
        var b = queryGroup.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS);
        a.syncUninterruptibly();
        b.syncUninterruptibly();
    }
}
