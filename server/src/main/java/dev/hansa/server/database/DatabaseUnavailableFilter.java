package dev.hansa.server.database;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.ObjectMapper;

/**
 * Runs before everything else, authentication included (which reads credentials from the database): while the
 * database is known to be unreachable, every request but health gets {@code 503 database-unavailable} with
 * {@code Retry-After} at once, instead of waiting for a connection. A request that was let through and then failed
 * for want of the database, in a filter or in the error dispatch, gets the same answer and triggers a probe.
 */
class DatabaseUnavailableFilter extends OncePerRequestFilter {

    private final DatabaseAvailability availability;
    private final ObjectMapper json;

    DatabaseUnavailableFilter(DatabaseAvailability availability, ObjectMapper json) {
        this.availability = availability;
        this.json = json;
    }

    @Override
    protected boolean shouldNotFilterErrorDispatch() {
        return false;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!availability.available() && request.getDispatcherType() != DispatcherType.ERROR && !isHealth(request)) {
            refuse(response);
            return;
        }
        try {
            chain.doFilter(request, response);
        } catch (IOException | ServletException | RuntimeException e) {
            if (!DatabaseOutage.isCause(e) || response.isCommitted()) {
                throw e;
            }
            availability.recheckNow();
            response.reset();
            refuse(response);
        }
    }

    private static boolean isHealth(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.equals("/actuator/health") || path.startsWith("/actuator/health/");
    }

    private void refuse(HttpServletResponse response) throws IOException {
        response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
        response.setHeader(HttpHeaders.RETRY_AFTER, Integer.toString(DatabaseOutage.RETRY_AFTER_SECONDS));
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), DatabaseOutage.problem());
    }
}
