package org.eventstream.orders.notification;

import java.util.Map;

/**
 * Delivers a notice to a customer. Pluggable: bind another implementation as {@code notificationSender} (e.g. in
 * routes/notification/beans.camel.yaml). It runs inside the notification's transaction, before the commit: a
 * failure rolls back and is retried, so a sender must tolerate sending a notice again after a crash.
 */
public interface NotificationSender {

    /** @param notice {@code order_id}, {@code kind}, {@code channel}, {@code recipient}, {@code body} */
    void send(Map<String, Object> notice);
}
