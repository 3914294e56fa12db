package dev.ipv6lifecycle.server.security;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.time.Duration;
import java.util.UUID;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.HeadersConfigurer;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The operator console's own chain for {@code /console/**} (and {@code /}, which leads there), ahead of the
 * API's bearer-token chain, which it leaves as it is. A browser signs in once with an API key and then holds
 * a session cookie: so every change needs a CSRF token, and every page has a Content-Security-Policy that
 * allows only the service's own scripts, styles and images. The roles are the API's: the console's paths
 * need the role that the API path doing the same needs, so the server refuses whatever a page would not
 * offer.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(ConsoleSecurityConfiguration.ConsoleSessionSettings.class)
class ConsoleSecurityConfiguration {

    static final String SIGN_IN = "/console/sign-in";

    /** No inline script or style and nothing from elsewhere: a template mistake cannot become an XSS. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /**
     * @param sessionTimeout how long a console session lasts without a request; then the browser is asked to
     *                       sign in again
     */
    @ConfigurationProperties("ipv6.console")
    record ConsoleSessionSettings(@DefaultValue("PT30M") Duration sessionTimeout) {
    }

    @Bean
    @Order(1)
    SecurityFilterChain consoleFilterChain(HttpSecurity http, ApiKeys keys, ConsoleSessionSettings settings)
            throws Exception {
        http.securityMatcher("/", "/console", "/console/**")
                .authenticationManager(apiKeySignIn(keys))
                .httpBasic(basic -> basic.disable())
                .requestCache(cache -> cache.disable())
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                        .frameOptions(HeadersConfigurer.FrameOptionsConfig::deny)
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN)))
                .formLogin(form -> form.loginPage(SIGN_IN).loginProcessingUrl(SIGN_IN)
                        .passwordParameter("apiKey")
                        .successHandler((request, response, authentication) -> {
                            request.getSession().setMaxInactiveInterval((int) settings.sessionTimeout().toSeconds());
                            response.sendRedirect(request.getContextPath() + "/console/");
                        })
                        .failureUrl(SIGN_IN + "?failed")
                        .permitAll())
                .logout(logout -> logout.logoutUrl("/console/sign-out").logoutSuccessUrl(SIGN_IN + "?signed-out"))
                .exceptionHandling(exceptions -> exceptions
                        .authenticationEntryPoint((request, response, failure) -> response.sendRedirect(
                                request.getContextPath() + SIGN_IN + (hadSession(request) ? "?expired" : "")))
                        .accessDeniedHandler((request, response, denied) -> response.sendError(
                                HttpServletResponse.SC_FORBIDDEN, "Your role does not allow this.")))
                .addFilterAfter(new RevokedKeyFilter(keys), SecurityContextHolderFilter.class)
                .authorizeHttpRequests(requests -> requests
                        .dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR).permitAll()
                        // The sign-in page with any query (?expired, ?signed-out): formLogin permits only exact URLs.
                        .requestMatchers("/", SIGN_IN, "/console/assets/**").permitAll()
                        // As the API: pools and projection replays are the admin's, the lifecycle the operator's.
                        .requestMatchers(HttpMethod.POST, "/console/pools/**", "/console/health/**")
                        .hasRole(Role.ADMIN.name())
                        .requestMatchers(HttpMethod.POST, "/console/delegations/**").hasRole(Role.OPERATOR.name())
                        .requestMatchers("/console/audit/**").hasRole(Role.ADMIN.name())
                        .requestMatchers(HttpMethod.GET, "/console/**").hasRole(Role.VIEWER.name())
                        .anyRequest().denyAll());
        return http.build();
    }

    /** A request that names a session the container no longer knows: the session has expired. */
    private static boolean hadSession(HttpServletRequest request) {
        return request.getRequestedSessionId() != null && !request.isRequestedSessionIdValid();
    }

    /** The sign-in form's API key (its only field) becomes the same identity a bearer API key would. */
    private static AuthenticationManager apiKeySignIn(ApiKeys keys) {
        return authentication -> {
            if (!(authentication instanceof UsernamePasswordAuthenticationToken form)
                    || !(form.getCredentials() instanceof String key) || key.isBlank()) {
                throw new BadCredentialsException("Give an API key.");
            }
            return keys.authenticate(key.strip())
                    .map(stored -> new TenantAuthentication(new CallerIdentity(stored.tenantId(),
                            "api-key:" + stored.id(), stored.role())))
                    .orElseThrow(() -> new BadCredentialsException("The API key is unknown or revoked."));
        };
    }

    /**
     * The API looks every request's key up again, so that a revocation takes effect at once; a session of a
     * revoked key ends with its next request in the same way.
     */
    static final class RevokedKeyFilter extends OncePerRequestFilter {

        private final ApiKeys keys;

        RevokedKeyFilter(ApiKeys keys) {
            this.keys = keys;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            if (SecurityContextHolder.getContext().getAuthentication() instanceof TenantAuthentication signedIn
                    && signedIn.getPrincipal().actor().startsWith("api-key:")) {
                UUID id = UUID.fromString(signedIn.getPrincipal().actor().substring("api-key:".length()));
                if (keys.find(id, null).filter(key -> key.revokedAt() == null).isEmpty()) {
                    SecurityContextHolder.clearContext();
                    HttpSession session = request.getSession(false);
                    if (session != null) {
                        session.invalidate();
                    }
                }
            }
            chain.doFilter(request, response);
        }
    }
}
