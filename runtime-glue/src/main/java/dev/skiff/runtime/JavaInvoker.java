package dev.skiff.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Runs a {@code java.util.function.Function} from the function's jars (every {@code *.jar} in the
 * code directory), loaded by its own class loader whose parent is the platform class loader, so
 * none of the glue's classes are visible to the function.
 *
 * <p>The handler is loaded and instantiated once, here, so its initialisation is part of the cold
 * start and a handler that cannot run is refused before the instance reports ready. It is then
 * shared by all worker threads: with a concurrency above 1 it must be thread-safe. A
 * {@code Function<byte[], ?>} gets the raw body; any other gets it as UTF-8 text. A {@code byte[]}
 * result is sent as is ({@code application/octet-stream}); any other result as UTF-8 text.
 */
final class JavaInvoker implements Invoker {
    private final URLClassLoader loader;
    private final Function<Object, Object> handler;
    private final HandlerSignature.Input input;

    /**
     * Loads and instantiates the handler.
     *
     * @throws IllegalArgumentException saying why the handler cannot be served
     */
    JavaInvoker(Path codeDir, String handlerClass) {
        this.loader = new URLClassLoader("function", jars(codeDir), ClassLoader.getPlatformClassLoader());
        try {
            Class<?> type = load(handlerClass);
            this.input = HandlerSignature.inputOf(type);
            this.handler = instantiate(type);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public Answer invoke(Call call) {
        Thread current = Thread.currentThread();
        ClassLoader previous = current.getContextClassLoader();
        current.setContextClassLoader(loader);
        try {
            Object argument = input == HandlerSignature.Input.BYTES ? call.body() : new String(call.body(), StandardCharsets.UTF_8);
            Object result = handler.apply(argument);
            if (result instanceof byte[] bytes) {
                return Answer.ok(bytes, "application/octet-stream");
            }
            return Answer.ok(result == null ? new byte[0] : result.toString().getBytes(StandardCharsets.UTF_8), TEXT);
        } catch (StackOverflowError e) {
            return Answer.failed(Invoker.describe(e));
        } catch (VirtualMachineError e) {
            throw e; // out of memory: the instance is broken, not just this call
        } catch (Throwable e) {
            return Answer.failed(Invoker.describe(e));
        } finally {
            current.setContextClassLoader(previous);
        }
    }

    @Override
    public void close() {
        try {
            loader.close();
        } catch (IOException e) {
            // nothing more to release
        }
    }

    private static URL[] jars(Path codeDir) {
        try (Stream<Path> files = Files.list(codeDir)) {
            URL[] jars = files.filter(f -> f.getFileName().toString().endsWith(".jar") && Files.isRegularFile(f))
                    .sorted().map(JavaInvoker::url).toArray(URL[]::new);
            if (jars.length == 0) {
                throw new IllegalArgumentException("no .jar file in " + codeDir);
            }
            return jars;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + codeDir, e);
        }
    }

    private Class<?> load(String handlerClass) {
        try {
            return Class.forName(handlerClass, false, loader);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("handler class " + handlerClass + " not found in " + Arrays.toString(loader.getURLs()));
        } catch (LinkageError e) {
            throw new IllegalArgumentException("handler class " + handlerClass + " cannot be loaded: " + Invoker.describe(e), e);
        }
    }

    /** Initialises the class and calls its no-argument constructor, with the function's loader as context loader. */
    @SuppressWarnings("unchecked")
    private Function<Object, Object> instantiate(Class<?> type) {
        Thread current = Thread.currentThread();
        ClassLoader previous = current.getContextClassLoader();
        current.setContextClassLoader(loader);
        try {
            Constructor<?> constructor = type.getDeclaredConstructor();
            constructor.setAccessible(true);
            return (Function<Object, Object>) constructor.newInstance();
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException("handler class " + type.getName() + " has no no-argument constructor");
        } catch (InstantiationException e) {
            throw new IllegalArgumentException("handler class " + type.getName() + " is abstract or an interface");
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("handler " + type.getName() + " failed to initialise: " + Invoker.describe(e.getCause()), e.getCause());
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            Throwable cause = e instanceof ExceptionInInitializerError init && init.getCause() != null ? init.getCause() : e;
            throw new IllegalArgumentException("handler " + type.getName() + " cannot be instantiated: " + Invoker.describe(cause), e);
        } finally {
            current.setContextClassLoader(previous);
        }
    }

    private static URL url(Path path) {
        try {
            return path.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("bad jar path " + path, e);
        }
    }
}
