package org.eventstream.orders.messaging;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TraceparentTest {

    private static final String FORMAT = "00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}";

    @Test
    void continuesTheTraceOfTheRequest() {
        String child = Traceparent.childOf("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");

        assertThat(child).matches(FORMAT).startsWith("00-0af7651916cd43dd8448eb211c80319c-").endsWith("-01")
                .doesNotContain("b7ad6b7169203331");
    }

    @Test
    void startsATraceWhenTheRequestHasNoneOrAnInvalidOne() {
        assertThat(Traceparent.childOf(null)).matches(FORMAT);
        assertThat(Traceparent.childOf("garbage")).matches(FORMAT);
        assertThat(Traceparent.childOf("00-00000000000000000000000000000000-b7ad6b7169203331-01"))
                .matches(FORMAT).doesNotContain("00000000000000000000000000000000");
        assertThat(Traceparent.childOf(null)).isNotEqualTo(Traceparent.childOf(null));
    }

    @Test
    void anActiveSpanIsTheParentOfWhatTheRowCauses() {
        SpanContext active = SpanContext.create("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", TraceFlags.getSampled(),
                TraceState.getDefault());

        assertThat(Traceparent.current(active, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"))
                .isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        assertThat(Traceparent.current(SpanContext.getInvalid(), "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"))
                .startsWith("00-0af7651916cd43dd8448eb211c80319c-");
    }
}
