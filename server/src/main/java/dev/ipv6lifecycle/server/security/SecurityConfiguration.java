package dev.ipv6lifecycle.server.security;

import dev.ipv6lifecycle.server.web.ProblemResponses;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Enumeration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authorization.AuthorityAuthorizationManager;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.server.resource.BearerTokenErrors;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Who may call what. Every {@code /api/**} request carries {@code Authorization: Bearer ...}: an API key of
 * this service or a JWT of the configured issuer ({@code spring.security.oauth2.resourceserver.jwt.*}).
 * Reads need {@code viewer}, lifecycle commands and allocation {@code operator}, everything that shapes the
 * installation (pools, administration, the sweep, the audit export) {@code admin}; an admin may do what an
 * operator may, an operator what a viewer may. An API path not named here needs {@code admin}: a new
 * endpoint is closed until someone decides otherwise. The AAA endpoints ({@code /api/v1/aaa/**}) need
 * {@code aaa}, a role that may call nothing else; since FreeRADIUS's {@code rlm_rest} can send a key only as
 * HTTP Basic credentials, there the key may also arrive as the Basic password.
 *
 * <p>Outside the API: {@code /actuator/health} and the API documentation are public; {@code
 * /actuator/prometheus} needs credentials of tenant {@code default} (the metrics show every tenant), unless
 * it is asked for on a separate management port ({@code management.server.port}), which an operator keeps
 * off the public network; every other path is closed. Failures are problem details: 401 without valid
 * credentials, 403 with a role that does not suffice.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET) // tools and tests run without a web server
class SecurityConfiguration {

    /** FreeRADIUS's endpoints: role {@code aaa} only, and the key may come as the Basic password. */
    static final String AAA_PATHS = "/api/v1/aaa/**";

    /**
     * Spring Security's own observations (a timer per filter, per chain and per authorization decision) are
     * off: no dashboard or alert reads them, and they were about 6 % of an API request's CPU in the benchmark
     * (BENCHMARKS.md). Every request is still timed as {@code http_server_requests_seconds}.
     */
    @Bean
    SecurityObservationSettings noSecurityObservations() {
        return SecurityObservationSettings.noObservations();
    }

    /**
     * The firewall every request passes before any chain, with its default rules; only its character checks of
     * header names, header values and parameter names are {@link HeaderCharacters} instead of regular
     * expressions, which accept the same strings.
     */
    @Bean
    WebSecurityCustomizer firewallWithoutRegularExpressions() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowedHeaderNames(HeaderCharacters.NAME);
        firewall.setAllowedHeaderValues(HeaderCharacters.VALUE);
        firewall.setAllowedParameterNames(HeaderCharacters.NAME);
        return web -> web.httpFirewall(firewall);
    }

    /**
     * The AAA endpoints, which FreeRADIUS calls for every Access-Request and Accounting-Request: a chain of
     * their own, ahead of the console's and the API's, with only what they need. The same credentials as the
     * API (an API key, from the cache, as bearer token or as the Basic password; or a JWT), the same problem
     * answers for 401 and 403, the same response headers, and one rule: the role {@code aaa}. No session is
     * read or created (the security context lives in the request only, so a console session cookie never
     * authenticates here), and there is no CSRF check, request cache, anonymous caller or servlet API
     * integration, none of which applies to a stateless machine client. The API's chain keeps its own rule for
     * these paths; it never sees them. The API's chain, with its dozen filters and its list of rules walked in
     * order, was about a tenth of an AAA request's CPU (JFR, 2026-12-02).
     */
    @Bean
    @Order(0)
    SecurityFilterChain aaaFilterChain(HttpSecurity http, AuthenticationManager bearerAuthentication,
                                       AuthenticationEntryPoint problemEntryPoint,
                                       AccessDeniedHandler problemAccessDenied) throws Exception {
        http.securityMatcher(AAA_PATHS)
                .csrf(csrf -> csrf.disable())
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .securityContext(context -> context.securityContextRepository(
                        new RequestAttributeSecurityContextRepository()))
                .requestCache(cache -> cache.disable())
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable())
                .anonymous(anonymous -> anonymous.disable())
                .servletApi(servletApi -> servletApi.disable())
                .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(problemEntryPoint)
                        .accessDeniedHandler(problemAccessDenied))
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .bearerTokenResolver(oneBearerToken())
                        .authenticationManagerResolver(request -> bearerAuthentication)
                        .authenticationEntryPoint(problemEntryPoint)
                        .accessDeniedHandler(problemAccessDenied))
                .authorizeHttpRequests(requests -> requests
                        .dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR).permitAll()
                        // The role itself, without the hierarchy's walk: no role implies aaa (roleHierarchy).
                        .anyRequest().access(AuthorityAuthorizationManager.hasRole(Role.AAA.name())));
        return http.build();
    }

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http, AuthenticationManager bearerAuthentication,
                                            AuthenticationEntryPoint problemEntryPoint,
                                            AccessDeniedHandler problemAccessDenied,
                                            Environment environment) throws Exception {
        http.csrf(csrf -> csrf.disable()) // no cookies, no sessions: a bearer token cannot be forged cross-site
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable())
                .anonymous(anonymous -> { })
                .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(problemEntryPoint)
                        .accessDeniedHandler(problemAccessDenied))
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .bearerTokenResolver(oneBearerToken())
                        .authenticationManagerResolver(request -> bearerAuthentication)
                        .authenticationEntryPoint(problemEntryPoint)
                        .accessDeniedHandler(problemAccessDenied))
                .authorizeHttpRequests(requests -> requests
                        // The original request was authorised already; its async completion and error page are
                        // part of the same answer.
                        .dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR).permitAll()
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        .requestMatchers(onManagementPort(environment)).permitAll()
                        .requestMatchers("/actuator/prometheus").access(operatorTenant())
                        .requestMatchers("/actuator", "/actuator/**").denyAll()
                        .requestMatchers("/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**")
                        .permitAll()
                        .requestMatchers("/error").permitAll()
                        // The sweep covers every tenant: only the installation's own admins run it.
                        .requestMatchers("/api/v1/maintenance/**").access(installationAdmin())
                        // Quotas limit tenants: set and read by the installation, not by the tenants they limit.
                        .requestMatchers("/api/v1/admin/quotas", "/api/v1/admin/quotas/**").access(installationAdmin())
                        // Answered by aaaFilterChain first; the same rule here, should that chain ever not match.
                        .requestMatchers(AAA_PATHS).hasRole(Role.AAA.name())
                        .requestMatchers("/api/v1/admin/**", "/api/v1/audit/**")
                        .hasRole(Role.ADMIN.name())
                        .requestMatchers(HttpMethod.POST, "/api/v1/delegations", "/api/v1/delegations/**")
                        .hasRole(Role.OPERATOR.name())
                        .requestMatchers(HttpMethod.GET, "/api/**").hasRole(Role.VIEWER.name())
                        .requestMatchers("/api/**").hasRole(Role.ADMIN.name())
                        .anyRequest().denyAll());
        return http.build();
    }

    @Bean
    static RoleHierarchy roleHierarchy() {
        return RoleHierarchyImpl.withDefaultRolePrefix()
                .role(Role.ADMIN.name()).implies(Role.OPERATOR.name())
                .role(Role.OPERATOR.name()).implies(Role.VIEWER.name())
                .build();
    }

    /**
     * API keys and JWTs, told apart by shape: a JWT is three dot-separated parts, no API key has a dot. The
     * failure messages name the kind of credential, never any part of it.
     */
    @Bean
    AuthenticationManager bearerAuthentication(ApiKeys keys, ObjectProvider<JwtDecoder> jwtDecoder) {
        return authentication -> {
            String token = ((BearerTokenAuthenticationToken) authentication).getToken();
            if (token.chars().filter(c -> c == '.').count() == 2) {
                JwtDecoder decoder = jwtDecoder.getIfAvailable();
                if (decoder == null) {
                    throw new InvalidBearerTokenException("JWTs are not accepted: no issuer is configured.");
                }
                Jwt jwt;
                try {
                    jwt = decoder.decode(token);
                } catch (BadJwtException invalid) {
                    throw new InvalidBearerTokenException("The JWT is not valid: " + invalid.getMessage(), invalid);
                } catch (JwtException unavailable) {
                    // The issuer's keys could not be fetched: the service's problem, not the client's.
                    throw new AuthenticationServiceException("The JWT could not be verified.", unavailable);
                }
                return new TenantAuthentication(JwtIdentities.identity(jwt));
            }
            return keys.authenticate(token)
                    .map(key -> new TenantAuthentication(new CallerIdentity(key.tenantId(), "api-key:" + key.id(),
                            key.role())))
                    .orElseThrow(() -> new InvalidBearerTokenException("The API key is unknown or revoked."));
        };
    }

    @Bean
    AuthenticationEntryPoint problemEntryPoint(ProblemResponses problems) {
        return (request, response, failure) -> {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
            // The resolver's and this service's descriptions name what is wrong, never the credential itself.
            String detail = failure instanceof OAuth2AuthenticationException invalid
                    && invalid.getError().getDescription() != null ? invalid.getError().getDescription()
                    : "Send 'Authorization: Bearer <API key or JWT>'.";
            problems.unauthorized(request, response, detail);
        };
    }

    @Bean
    AccessDeniedHandler problemAccessDenied(ProblemResponses problems) {
        return (request, response, denied) -> problems.forbidden(request, response,
                "The caller's role does not allow " + request.getMethod() + " on this path.");
    }

    /**
     * Two Authorization headers are ambiguous: which one acts? Neither: 401. On the AAA paths a key may come as
     * the password of HTTP Basic credentials (the user name is ignored), the only way {@code rlm_rest} of
     * FreeRADIUS 3.2 sends a secret from its own configuration.
     */
    private static BearerTokenResolver oneBearerToken() {
        DefaultBearerTokenResolver standard = new DefaultBearerTokenResolver();
        return request -> {
            Enumeration<String> headers = request.getHeaders(HttpHeaders.AUTHORIZATION);
            if (headers != null && headers.hasMoreElements()) {
                String header = headers.nextElement();
                if (headers.hasMoreElements()) {
                    throw new OAuth2AuthenticationException(
                            BearerTokenErrors.invalidRequest("Send one Authorization header, not several."));
                }
                if (header.regionMatches(true, 0, "Basic ", 0, 6) && path(request).startsWith("/api/v1/aaa/")) {
                    return basicPassword(header.substring(6).strip());
                }
            }
            return standard.resolve(request);
        };
    }

    private static String basicPassword(String credentials) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(credentials), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            throw new OAuth2AuthenticationException(BearerTokenErrors.invalidRequest("Malformed Basic credentials."));
        }
        int colon = decoded.indexOf(':');
        if (colon < 0 || colon == decoded.length() - 1) {
            throw new OAuth2AuthenticationException(
                    BearerTokenErrors.invalidRequest("Send the API key as the Basic password."));
        }
        return decoded.substring(colon + 1);
    }

    /**
     * Prometheus on the management port, when there is one of its own: reachable by whoever reaches the port.
     * The ports as the running servers report them ({@code local.*.port}), so a random port (0) works too.
     */
    private static RequestMatcher onManagementPort(Environment environment) {
        return request -> {
            // The path first: every request is matched here, and a look-up in the Environment walks all its
            // property sources (6 % of an AAA request's CPU when it came first).
            if (!"/actuator/prometheus".equals(path(request))) {
                return false;
            }
            String management = environment.getProperty("local.management.port");
            return management != null && !management.equals(environment.getProperty("local.server.port"))
                    && management.equals(Integer.toString(request.getLocalPort()));
        };
    }

    private static String path(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        return context != null && uri.startsWith(context) ? uri.substring(context.length()) : uri;
    }

    private static AuthorizationManager<RequestAuthorizationContext> installationAdmin() {
        return (authentication, context) -> new AuthorizationDecision(
                authentication.get().getPrincipal() instanceof CallerIdentity identity && identity.isInstallationAdmin());
    }

    private static AuthorizationManager<RequestAuthorizationContext> operatorTenant() {
        return (authentication, context) -> new AuthorizationDecision(
                authentication.get().getPrincipal() instanceof CallerIdentity identity
                        && CallerIdentity.OPERATOR_TENANT.equals(identity.tenantId()));
    }
}
