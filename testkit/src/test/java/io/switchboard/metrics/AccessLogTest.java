package io.switchboard.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.switchboard.server.http.AccessLog;
import io.switchboard.testkit.RawHttp;
import io.switchboard.testkit.TestServer;
import io.switchboard.testkit.WsRecorder;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The structured access log: one line per HTTP request and per WebSocket session end, never a query string. */
class AccessLogTest {
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(AccessLog.LOGGER);

    private Level level;

    @BeforeEach
    void capture() {
        // The tests' logback config keeps the access log quiet (WARN); here it is on, and kept off the console.
        level = logger.getLevel();
        logger.setLevel(Level.INFO);
        logger.setAdditive(false);
        lines.start();
        logger.addAppender(lines);
    }

    @AfterEach
    void release() {
        logger.detachAppender(lines);
        logger.setAdditive(true);
        logger.setLevel(level);
    }

    @Test
    void each_request_is_one_line_with_its_status_and_without_its_query() throws Exception {
        try (TestServer server = TestServer.start()) {
            String token = TestServer.token("ada", List.of("private-ada"), List.of());
            RawHttp.exchange(server.port(), "GET /history?channel=private-ada&token=" + token
                    + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", null);

            await().until(() -> messages().stream().anyMatch(l -> l.contains("path=/history")));
            String history = messages().stream().filter(l -> l.contains("path=/history")).findFirst().orElseThrow();
            assertThat(history).matches("method=GET path=/history status=200 bytes=\\d+ ms=\\d+ ip=127\\.0\\.0\\.1");
            assertThat(String.join("\n", messages())).doesNotContain(token).doesNotContain("token=");
        }
    }

    @Test
    void a_websocket_session_logs_its_upgrade_and_its_end_with_the_close_code() {
        try (TestServer server = TestServer.start()) {
            try (WsRecorder ws = WsRecorder.connect(server.ws("/ws"))) {
                ws.awaitType("welcome");
                ws.send("{\"op\":\"ping\",\"id\":1}").awaitType("pong");
            }
            await().until(() -> messages().stream().anyMatch(l -> l.startsWith("door=ws")));
            assertThat(messages()).anyMatch(l -> l.startsWith("method=GET path=/ws status=101"));
            String end = messages().stream().filter(l -> l.startsWith("door=ws")).findFirst().orElseThrow();
            assertThat(end).matches("door=ws session=\\S+ ip=127\\.0\\.0\\.1 ms=\\d+ close=1000 frames_in=[1-9]\\d* frames_out=[1-9]\\d*");
        }
    }

    @Test
    void turned_off_it_logs_nothing() throws Exception {
        try (TestServer server = TestServer.start(c -> c.withAccessLog(false))) {
            RawHttp.exchange(server.port(), "GET /history?channel=a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", null);
            try (WsRecorder ws = WsRecorder.connect(server.ws("/ws"))) {
                ws.awaitType("welcome");
            }
            await().until(() -> server.server().metrics().connections("ws").get() == 0);
            assertThat(messages()).isEmpty();
        }
    }

    private List<String> messages() {
        synchronized (lines) { // appends hold the appender's lock
            return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        }
    }
}
