package dev.ipv6lifecycle.server.admin;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/admin/projections")
@Tag(name = "Administration", description = "Read-model rebuilds")
class ProjectionAdminController {

    private final ProjectionProcessors projections;

    ProjectionAdminController(ProjectionProcessors projections) {
        this.projections = projections;
    }

    @GetMapping
    @Operation(summary = "Projections and their progress", description = "Each read-side processor: its position "
            + "in the event store, the head, whether it is replaying, and how far it got.")
    List<ProjectionStatus> list() {
        return projections.status();
    }

    @PostMapping("/{name}/replay")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Rebuild a projection", description = "Empties the projection's tables and replays the "
            + "whole event store into them, in the background; follow it with GET. Queries answer from the "
            + "partial tables meanwhile.")
    ProjectionStatus replay(@PathVariable String name) {
        return projections.replay(name);
    }
}
