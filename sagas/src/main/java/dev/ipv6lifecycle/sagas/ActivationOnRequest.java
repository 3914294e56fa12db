package dev.ipv6lifecycle.sagas;

import dev.ipv6lifecycle.api.delegation.PrefixAllocatedEvent;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.annotation.HandlerEnhancerDefinition;
import org.axonframework.messaging.annotation.MessageHandlingMember;
import org.axonframework.messaging.annotation.WrappedMessageHandlingMember;

/**
 * The activation saga's start handler matches only allocations that ask for activation. Most allocations do
 * not (a provisioning system activates later, or a BNG does by asking for the prefix), and a saga that
 * starts only to end at once still costs its processor an association lookup, an instance, a transaction
 * and a token update for every allocation. An event no handler matches costs the processor nothing.
 *
 * <p>Axon collects handler enhancers from the Spring context ({@link SagaConfiguration}); a test fixture
 * registers it itself.
 */
class ActivationOnRequest implements HandlerEnhancerDefinition {

    @Override
    public <T> MessageHandlingMember<T> wrapHandler(MessageHandlingMember<T> original) {
        if (!ActivationSaga.class.equals(original.declaringClass())
                || !PrefixAllocatedEvent.class.equals(original.payloadType())) {
            return original;
        }
        return new WrappedMessageHandlingMember<>(original) {
            @Override
            public boolean canHandle(Message<?> message) {
                return super.canHandle(message)
                        && message.getPayload() instanceof PrefixAllocatedEvent allocated
                        && allocated.activationRequested();
            }
        };
    }
}
