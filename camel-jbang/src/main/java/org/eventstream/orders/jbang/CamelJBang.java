package org.eventstream.orders.jbang;

import org.apache.camel.dsl.jbang.core.commands.CamelJBangMain;

/**
 * {@code java -jar camel-jbang/target/camel.jar <command>} is the {@code camel} command of Camel JBang at the project's
 * Camel version: camel-jbang-core has the commands but no {@code main}, which JBang's own launcher script supplies.
 */
public final class CamelJBang {

    private CamelJBang() {
    }

    public static void main(String... args) {
        CamelJBangMain.run(args);
    }
}
