package org.eventstream.orders;

import org.apache.camel.CamelContext;

/**
 * A setting by key ({@code db.url}, {@code rabbitmq.host}, ...) as Camel's properties component resolves it: environment
 * variable ({@code db.url} ← {@code DB_URL}) over the properties files.
 */
public interface Settings {

    /** @throws IllegalStateException when the key is not configured */
    String value(String key);

    default int intValue(String key) {
        return Integer.parseInt(value(key));
    }

    /** The settings of a Camel context: its properties component, with its environment-variable overrides. */
    static Settings of(CamelContext context) {
        return key -> context.getPropertiesComponent().resolveProperty(key)
                .map(String::strip)
                .orElseThrow(() -> new IllegalStateException("setting '" + key + "' is not configured"));
    }
}
