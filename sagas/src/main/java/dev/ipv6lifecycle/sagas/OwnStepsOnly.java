package dev.ipv6lifecycle.sagas;

import dev.ipv6lifecycle.api.delegation.NetworkCallRecordedEvent;
import dev.ipv6lifecycle.api.delegation.NetworkStep;
import java.util.List;
import java.util.Map;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.annotation.HandlerEnhancerDefinition;
import org.axonframework.messaging.annotation.MessageHandlingMember;
import org.axonframework.messaging.annotation.WrappedMessageHandlingMember;

/**
 * A saga's handler of {@link NetworkCallRecordedEvent} matches only the steps that saga makes: the activation's
 * calls are no business of the revocation saga, nor the revocation's of the activation saga, nor a suspension's
 * RESTRICT of either. Each handler ignores other steps anyway; matching them cost its processor an
 * association lookup per call, and a load and a store of the saga when one was running: a revocation's two
 * calls were half the lookups of the activation saga's processor over activate, suspend, resume and revoke
 * (JFR, 2026-12-02). An event no handler matches costs the processor nothing.
 *
 * <p>Axon collects handler enhancers from the Spring context ({@link SagaConfiguration}); a test fixture
 * registers it itself.
 */
class OwnStepsOnly implements HandlerEnhancerDefinition {

    private static final Map<Class<?>, List<NetworkStep>> STEPS = Map.of(
            ActivationSaga.class, ActivationSaga.STEPS,
            RevocationSaga.class, RevocationSaga.STEPS);

    @Override
    public <T> MessageHandlingMember<T> wrapHandler(MessageHandlingMember<T> original) {
        List<NetworkStep> steps = STEPS.get(original.declaringClass());
        if (steps == null || !NetworkCallRecordedEvent.class.equals(original.payloadType())) {
            return original;
        }
        return new WrappedMessageHandlingMember<>(original) {
            @Override
            public boolean canHandle(Message<?> message) {
                return super.canHandle(message)
                        && message.getPayload() instanceof NetworkCallRecordedEvent recorded
                        && steps.contains(recorded.step());
            }
        };
    }
}
