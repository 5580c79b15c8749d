package dev.canopy.natives.rpc;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a worker listens ({@code canopy worker}, ggml's RPC server): a host and a TCP port.
 *
 * @param host a name or an address (IPv6 in brackets when written with the port)
 * @param port 1 to 65535
 */
public record RpcEndpoint(String host, int port) {
    public static final int DEFAULT_PORT = 50052;

    public RpcEndpoint {
        if (host == null || host.isBlank()) throw new IllegalArgumentException("a worker needs a host");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port " + port + " is not between 1 and 65535");
    }

    /** Parses {@code host:port} ({@code [v6]:port} for IPv6; without a port, 50052). */
    public static RpcEndpoint parse(String text) {
        String t = text.strip();
        String host;
        String port = null;
        if (t.startsWith("[")) {                       // [v6] or [v6]:port
            int close = t.indexOf(']');
            if (close < 0) throw new IllegalArgumentException("'" + text + "' is not host:port (no closing ']')");
            host = t.substring(1, close);
            String rest = t.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) throw new IllegalArgumentException("'" + text + "' is not [host]:port");
                port = rest.substring(1);
            }
        } else if (t.indexOf(':') >= 0 && t.indexOf(':') == t.lastIndexOf(':')) {
            host = t.substring(0, t.indexOf(':'));
            port = t.substring(t.indexOf(':') + 1);
        } else {
            host = t;                                  // a name, IPv4 or a bare IPv6 address
        }
        if (host.isBlank()) throw new IllegalArgumentException("'" + text + "' is not host:port (no host)");
        if (port == null) return new RpcEndpoint(host, DEFAULT_PORT);
        try {
            return new RpcEndpoint(host, Integer.parseInt(port));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not host:port (the port '" + port + "' is not a number)");
        }
    }

    /** Parses a comma-separated list, e.g. {@code 10.0.0.2:50052,10.0.0.3:50052}. */
    public static List<RpcEndpoint> parseList(String text) {
        List<RpcEndpoint> out = new ArrayList<>();
        for (String part : text.split(",")) {
            if (!part.isBlank()) out.add(parse(part));
        }
        if (out.isEmpty()) throw new IllegalArgumentException("no worker in '" + text + "'");
        return List.copyOf(out);
    }

    /** Whether the host is this computer only (127.0.0.0/8, ::1, localhost). */
    public boolean isLoopback() {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** As ggml's RPC backend writes it: {@code host:port}, IPv6 in brackets. */
    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
