package dev.ipv6lifecycle.sagas;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ipv6lifecycle.api.delegation.NetworkCallRecordedEvent;
import dev.ipv6lifecycle.api.delegation.NetworkResult;
import dev.ipv6lifecycle.api.delegation.NetworkStep;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.annotation.AnnotatedMessageHandlingMemberDefinition;
import org.axonframework.messaging.annotation.ClasspathParameterResolverFactory;
import org.axonframework.messaging.annotation.MultiHandlerDefinition;
import org.axonframework.modelling.saga.metamodel.AnnotationSagaMetaModelFactory;
import org.axonframework.modelling.saga.metamodel.SagaModel;
import org.junit.jupiter.api.Test;

class OwnStepsOnlyTests {

    @Test
    void eachSagaHandlesTheNetworkCallsOfItsOwnStepsAndNoOthers() {
        assertThat(stepsHandledBy(ActivationSaga.class)).isEqualTo(EnumSet.of(NetworkStep.IPAM_RECORD, NetworkStep.PUSH_PREFIX));
        assertThat(stepsHandledBy(RevocationSaga.class)).isEqualTo(EnumSet.of(NetworkStep.DISCONNECT, NetworkStep.IPAM_RELEASE));
    }

    @Test
    void withoutItEverySagaWouldMatchEveryStep() {
        SagaModel<RevocationSaga> plain = new AnnotationSagaMetaModelFactory(
                ClasspathParameterResolverFactory.forClass(RevocationSaga.class)).modelOf(RevocationSaga.class);

        assertThat(EnumSet.allOf(NetworkStep.class)).allMatch(step -> plain.hasHandlerMethod(recorded(step)));
    }

    private static Set<NetworkStep> stepsHandledBy(Class<?> saga) {
        SagaModel<?> model = new AnnotationSagaMetaModelFactory(ClasspathParameterResolverFactory.forClass(saga),
                MultiHandlerDefinition.ordered(new OwnStepsOnly(), new AnnotatedMessageHandlingMemberDefinition()))
                .modelOf(saga);
        Set<NetworkStep> handled = EnumSet.noneOf(NetworkStep.class);
        for (NetworkStep step : NetworkStep.values()) {
            if (model.hasHandlerMethod(recorded(step))) {
                handled.add(step);
            }
        }
        return handled;
    }

    private static GenericEventMessage<NetworkCallRecordedEvent> recorded(NetworkStep step) {
        return new GenericEventMessage<>(new NetworkCallRecordedEvent(UUID.randomUUID(), "t", step,
                NetworkResult.SUCCEEDED, 1, "done", Instant.now()));
    }
}
