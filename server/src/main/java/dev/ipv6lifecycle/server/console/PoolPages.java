package dev.ipv6lifecycle.server.console;

import dev.ipv6lifecycle.api.DomainRejection;
import dev.ipv6lifecycle.api.Ipv6Prefix;
import dev.ipv6lifecycle.api.Page;
import dev.ipv6lifecycle.api.pool.DrainPoolCommand;
import dev.ipv6lifecycle.api.pool.FindPoolQuery;
import dev.ipv6lifecycle.api.pool.ListPoolsQuery;
import dev.ipv6lifecycle.api.pool.PoolView;
import dev.ipv6lifecycle.api.pool.RetirePoolCommand;
import dev.ipv6lifecycle.api.pool.UndrainPoolCommand;
import dev.ipv6lifecycle.server.web.Caller;
import dev.ipv6lifecycle.server.web.CommandSender;
import dev.ipv6lifecycle.server.web.Paging;
import java.util.UUID;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

/** Pools: the list with utilisation, one pool with its capacity per length and its map, and the pool actions. */
@Controller
@RequestMapping("/console/pools")
class PoolPages {

    private final QueryGateway queries;
    private final CommandSender commands;
    private final Caller caller;
    private final PoolMap map;
    private final JdbcTemplate jdbc;

    PoolPages(QueryGateway queries, CommandSender commands, Caller caller, PoolMap map, JdbcTemplate jdbc) {
        this.queries = queries;
        this.commands = commands;
        this.caller = caller;
        this.map = map;
        this.jdbc = jdbc;
    }

    @GetMapping
    String list(Model model) {
        Page<?> pools = queries.query(new ListPoolsQuery(caller.tenantId(), 0, Paging.MAX_SIZE),
                ResponseTypes.instanceOf(Page.class)).join();
        model.addAttribute("pools", pools.content());
        model.addAttribute("more", pools.totalElements() > pools.content().size());
        return "console/pools";
    }

    @GetMapping("/{poolId}")
    String pool(@PathVariable UUID poolId, @RequestParam(required = false) Ipv6Prefix at, Model model) {
        PoolView pool = find(poolId);
        Ipv6Prefix view = at == null ? pool.prefix() : at;
        if (!pool.prefix().contains(view)) {
            throw DomainRejection.invalid(view + " is not inside the pool " + pool.prefix());
        }
        PoolMap.View cells = map.view(caller.tenantId(), poolId, pool.prefix(), pool.delegatedLengths(), view);
        model.addAttribute("pool", pool);
        // The command side's registry, written in the pool command's own transaction: right after a drain
        // the page shows it, where the read side may still be a few milliseconds behind.
        model.addAttribute("state", jdbc.queryForObject("SELECT state FROM pool_registry WHERE pool_id = ? AND tenant_id = ?",
                String.class, poolId, caller.tenantId()));
        model.addAttribute("map", cells);
        model.addAttribute("up", view.length() > pool.prefix().length()
                ? view.parent(Math.max(pool.prefix().length(), view.length() - 8)) : null);
        return "console/pool";
    }

    @PostMapping("/{poolId}/{action:drain|undrain|retire}")
    String act(@PathVariable UUID poolId, @PathVariable String action, @RequestParam(required = false) String reason) {
        String tenantId = caller.tenantId();
        String why = reason == null || reason.isBlank() ? null : TextInput.checked("the reason", reason);
        if (why != null && why.length() > DelegationPages.MAX_REASON) {
            throw DomainRejection.invalid("give a reason of at most " + DelegationPages.MAX_REASON + " characters");
        }
        commands.send(switch (action) {
            case "drain" -> new DrainPoolCommand(poolId, tenantId, why);
            case "undrain" -> new UndrainPoolCommand(poolId, tenantId, why);
            default -> new RetirePoolCommand(poolId, tenantId, why);
        });
        return "redirect:/console/pools/" + poolId;
    }

    private PoolView find(UUID poolId) {
        return queries.query(new FindPoolQuery(caller.tenantId(), poolId), ResponseTypes.optionalInstanceOf(PoolView.class))
                .join().orElseThrow(() -> DomainRejection.notFound("no pool " + poolId));
    }
}
