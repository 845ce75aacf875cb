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
 * The client side's Netty event loops: epoll when the native library loads, NIO otherwise. One group is
 * shared by every connection of a run, so the client's thread count does not grow with the subscribers.
 */
public final class Net implements AutoCloseable {
    private final EventLoopGroup group;
    private final Class<? extends SocketChannel> channelClass;

    public Net(int threads) {
        if (Epoll.isAvailable()) {
            group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("bench-io", true), EpollIoHandler.newFactory());
            channelClass = EpollSocketChannel.class;
        } else {
            group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("bench-io", true), NioIoHandler.newFactory());
            channelClass = NioSocketChannel.class;
        }
    }

    public EventLoopGroup group() { return group; }

    public Class<? extends SocketChannel> channelClass() { return channelClass; }

    public String transport() { return channelClass == EpollSocketChannel.class ? "epoll" : "nio"; }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
