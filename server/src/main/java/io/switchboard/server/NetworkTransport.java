package io.switchboard.server;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/** Picks the native epoll transport on Linux when it loads, NIO otherwise (DESIGN.md rule 5). */
final class NetworkTransport {
    private static final boolean EPOLL = !Boolean.getBoolean("switchboard.nio") && Epoll.isAvailable();

    private NetworkTransport() {}

    /**
     * Event loops for connections: one per core (at least two), as nginx's {@code worker_processes auto},
     * not Netty's default of two per core. Fan-out is CPU work that never blocks, so a second loop per core
     * only adds context switches and takes CPU from whatever shares the machine: with 10,000 WebSocket
     * subscribers at 50 msg/s on 2 cores, 2 loops delivered the same 500,000 messages/s as 4 with 0.94
     * instead of 1.21 cores and half the p99 (docs/benchmarks.md). Netty's
     * {@code -Dio.netty.eventLoopThreads=N} still sets it.
     */
    static int ioThreads() {
        return Integer.getInteger("io.netty.eventLoopThreads", Math.max(2, Runtime.getRuntime().availableProcessors()));
    }

    /** {@code threads} 0 means Netty's default (twice the cores). */
    static EventLoopGroup newGroup(int threads, String name) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true),
                EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }

    static Class<? extends ServerSocketChannel> serverChannelClass() {
        return EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    static String name() {
        return EPOLL ? "epoll" : "nio";
    }
}
