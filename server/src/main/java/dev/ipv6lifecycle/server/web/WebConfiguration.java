package dev.ipv6lifecycle.server.web;

import dev.ipv6lifecycle.api.Ipv6Prefix;
import org.springframework.context.annotation.Configuration;
import org.springframework.format.FormatterRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Lets query parameters and path variables be typed as {@link Ipv6Prefix}, with its own validation. */
@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebMvcConfigurer {

    @Override
    public void addFormatters(FormatterRegistry registry) {
        registry.addConverter(String.class, Ipv6Prefix.class, Ipv6Prefix::parse);
    }
}
