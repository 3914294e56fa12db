package dev.ipv6lifecycle.sagas;

import java.util.List;

/** The processing groups of this module, declared once. They start at the head of the event stream. */
final class SagaGroups {

    static final String ACTIVATION = "activation-saga";
    static final String REVOCATION = "revocation-saga";
    static final String SESSION_NOTIFICATIONS = "session-notifications";

    static final List<String> ALL = List.of(ACTIVATION, REVOCATION, SESSION_NOTIFICATIONS);

    private SagaGroups() {
    }
}
