package dev.skiff.runtime;

import com.sun.net.httpserver.HttpServer;
import java.util.concurrent.ExecutorService;

/**
 * A running glue: the HTTP server, its worker threads and the loaded function. Closing it stops
 * listening, interrupts the calls in flight and kills the children they started.
 */
public final class Glue implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService workers;
    private final Invoker invoker;

    Glue(HttpServer server, ExecutorService workers, Invoker invoker) {
        this.server = server;
        this.workers = workers;
        this.invoker = invoker;
    }

    /** The port the glue listens on (the one picked by the system when 0 was asked). */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        workers.shutdownNow();
        invoker.close();
    }
}
