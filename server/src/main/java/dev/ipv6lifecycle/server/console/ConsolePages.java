package dev.ipv6lifecycle.server.console;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;

/** The way in: {@code /} leads to the console, the console starts at its pools, and the sign-in page. */
@Controller
class ConsolePages {

    @GetMapping("/")
    String root() {
        return "redirect:/console/";
    }

    @GetMapping({"/console", "/console/"})
    String start() {
        return "redirect:/console/pools";
    }

    @GetMapping("/console/sign-in")
    String signIn() {
        return "console/sign-in";
    }
}
