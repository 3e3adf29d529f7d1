import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.net.InetSocketAddress;

/**
 * Starts mongo-java-server on a loopback address: in memory, or with the H2 backend when --h2-file is given
 * (data kept in that file across restarts). Prints "listening HOST:PORT" once it accepts connections, and shuts down
 * cleanly on SIGTERM/SIGINT so that the H2 file is committed and closed.
 *
 * Usage: java -cp <jars>:<classes> MongoJavaServer [--host 127.0.0.1] [--port 0] [--h2-file path/data.mv]
 */
public final class MongoJavaServer {
  public static void main(String[] args) {
    String host = option(args, "--host", "127.0.0.1");
    int port = Integer.parseInt(option(args, "--port", "0"));
    String h2File = option(args, "--h2-file", null);

    MongoBackend backend = h2File == null ? new MemoryBackend() : new H2Backend(h2File);
    MongoServer server = new MongoServer(backend);
    try {
      server.bind(host, port);
    } catch (RuntimeException e) {
      // Netty's event loop threads would keep the JVM alive after a failed bind; the caller must see the exit.
      System.err.println("could not bind " + host + ":" + port + ": " + e);
      backend.close();
      System.exit(1);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.shutdown();
      backend.close();
      System.out.println("stopped");
    }, "mongo-java-server-shutdown"));

    InetSocketAddress address = server.getLocalAddress();
    System.out.println("listening " + address.getHostString() + ":" + address.getPort()
        + " backend=" + (h2File == null ? "memory" : "h2:" + h2File));
  }

  private static String option(String[] args, String name, String fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) return args[i + 1];
    }
    return fallback;
  }
}
