package org.eventstream.orders.notification;

import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The default sender: the notice is logged (and stored by the route), nothing leaves the system. */
public class LoggingNotificationSender implements NotificationSender {

    private static final Logger LOG = LoggerFactory.getLogger(LoggingNotificationSender.class);

    @Override
    public void send(Map<String, Object> notice) {
        LOG.info("notice {} for order {} to {}: {}", notice.get("kind"), notice.get("order_id"), notice.get("recipient"),
                notice.get("body"));
    }
}
