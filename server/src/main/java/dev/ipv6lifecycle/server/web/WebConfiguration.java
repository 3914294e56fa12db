package dev.ipv6lifecycle.server.web;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import java.time.Instant;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.format.FormatterRegistry;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.databind.JacksonModule;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

/**
 * Lets query parameters and path variables be typed as {@link Ipv6Prefix}, with its own validation; refuses
 * {@link ForbiddenCharacters forbidden characters} in every text input of the API; reads {@link Instant}
 * parameters without an exception each ({@link InstantParameterFormatter}); and makes Tomcat's own refusals
 * (before the application) problem documents too.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WebSettings.class)
class WebConfiguration implements WebMvcConfigurer {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemReportValve(JsonMapper json) {
        return factory -> factory.addContextCustomizers(context ->
                context.getParent().getPipeline().addValve(new ProblemReportValve(json)));
    }

    /** Spring Boot adds every module bean to the API's JSON mapper; Axon's own mapper is another one. */
    @Bean
    JacksonModule forbiddenCharactersInStrings() {
        return new SimpleModule("forbidden-characters").addDeserializer(String.class,
                new ForbiddenCharactersDeserializer());
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new ForbiddenCharactersInterceptor()).addPathPatterns("/api/**");
    }

    @Override
    public void addFormatters(FormatterRegistry registry) {
        registry.addConverter(String.class, Ipv6Prefix.class, Ipv6Prefix::parse);
        // Added after Spring Boot's own, so it is the one used: the same answers, without an exception per ISO time.
        registry.addFormatterForFieldType(Instant.class, new InstantParameterFormatter());
    }
}
