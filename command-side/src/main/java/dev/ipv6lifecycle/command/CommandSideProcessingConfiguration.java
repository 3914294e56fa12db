package dev.ipv6lifecycle.command;

import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The command side's tables are written by event handlers that must run inside the command's
 * transaction and fail it when they fail. Axon's defaults would do neither: processors stream events
 * after the commit, and a handler's exception is only logged. So these groups subscribe, and propagate.
 */
@Configuration(proxyBeanMethods = false)
class CommandSideProcessingConfiguration {

    @Bean
    ConfigurerModule commandSideTablesInTheCommandTransaction() {
        return configurer -> configurer.eventProcessing(processing -> InTransactionGroups.ALL.forEach(group -> processing
                .registerSubscribingEventProcessor(group)
                .registerListenerInvocationErrorHandler(group, configuration -> PropagatingErrorHandler.instance())));
    }
}
