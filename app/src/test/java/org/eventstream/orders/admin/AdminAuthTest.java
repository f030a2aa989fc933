package org.eventstream.orders.admin;

import org.eventstream.orders.http.ProblemException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AdminAuthTest {

    private static int status(Runnable call) {
        try {
            call.run();
            return 200;
        } catch (ProblemException e) {
            return e.problem().status();
        }
    }

    @Test
    void withoutAConfiguredTokenTheApiIsOff() {
        AdminAuth off = new AdminAuth("");

        assertThatThrownBy(() -> off.check("Bearer anything")).isInstanceOf(ProblemException.class).hasMessageContaining("off");
        assertThat(status(() -> off.check(null))).isEqualTo(404);
    }

    @Test
    void onlyTheRightBearerTokenPasses() {
        AdminAuth auth = new AdminAuth("s3cret-token");

        assertThat(status(() -> auth.check(null))).isEqualTo(401);
        assertThat(status(() -> auth.check("Bearer wrong"))).isEqualTo(401);
        assertThat(status(() -> auth.check("Basic s3cret-token"))).isEqualTo(401);
        assertThatCode(() -> auth.check("Bearer s3cret-token")).doesNotThrowAnyException();
        assertThatCode(() -> auth.check("bearer  s3cret-token ")).doesNotThrowAnyException();
    }
}
