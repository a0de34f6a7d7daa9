package org.unicard.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

/**
 * {@code GET /console/...}: the console's pages, classpath resources of this jar ({@code console/}),
 * and the chart library, uPlot, from its webjar on the classpath (MIT; a Maven dependency, never
 * downloaded at run time, so the console works with no internet). The files hold no data: every
 * number on a page comes from {@code /api}, with the bearer token. Only known file names are served.
 */
public final class ConsoleFiles implements HttpHandler
{
    /** The uPlot webjar's version (switch-core's pom pins the same). */
    public static final String UPLOT_VERSION = "1.6.30";

    private static final String UPLOT = "META-INF/resources/webjars/uplot/" + UPLOT_VERSION + "/dist/";
    private static final Map<String, String> FILES = Map.of(
        "index.html", "console/index.html",
        "console.js", "console/console.js",
        "console.css", "console/console.css",
        "uPlot.iife.min.js", UPLOT + "uPlot.iife.min.js",
        "uPlot.min.css", UPLOT + "uPlot.min.css");

    private final Map<String, byte[]> loaded = new ConcurrentHashMap<>();

    @Override
    public void handle(final HttpExchange exchange) throws IOException
    {
        try (exchange)
        {
            final String method = exchange.getRequestMethod();
            if (!"GET".equals(method) && !"HEAD".equals(method))
            {
                HttpEndpoint.send(exchange, 405, "method not allowed\n");
                return;
            }
            final String path = exchange.getRequestURI().getPath();
            if ("/console".equals(path))
            {
                exchange.getResponseHeaders().set("Location", "/console/");
                exchange.sendResponseHeaders(301, -1);
                return;
            }
            final String name = path.equals("/console/") ? "index.html" : path.substring("/console/".length());
            final String resource = FILES.get(name);
            final byte[] body = resource == null ? null : load(resource);
            if (body == null)
            {
                HttpEndpoint.send(exchange, 404, "no such console file: " + name + "\n");
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", contentType(name));
            exchange.getResponseHeaders().set("Cache-Control", "no-cache");
            exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
            exchange.getResponseHeaders().set("X-Frame-Options", "DENY");
            exchange.getResponseHeaders().set("Referrer-Policy", "no-referrer");
            exchange.getResponseHeaders().set("Content-Security-Policy",
                "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; frame-ancestors 'none'");
            if ("HEAD".equals(method))
            {
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody())
            {
                out.write(body);
            }
        }
    }

    private byte[] load(final String resource) throws IOException
    {
        final byte[] cached = loaded.get(resource);
        if (cached != null)
        {
            return cached;
        }
        try (InputStream in = ConsoleFiles.class.getClassLoader().getResourceAsStream(resource))
        {
            if (in == null)
            {
                return null;
            }
            final byte[] bytes = in.readAllBytes();
            loaded.put(resource, bytes);
            return bytes;
        }
    }

    private static String contentType(final String name)
    {
        if (name.endsWith(".html"))
        {
            return "text/html; charset=utf-8";
        }
        if (name.endsWith(".js"))
        {
            return "text/javascript; charset=utf-8";
        }
        return "text/css; charset=utf-8";
    }
}
