package io.scitex.tunnel.model;

/**
 * Something this machine needs before a tunnel can be set up, and how to get it.
 *
 * @param name what is needed ({@code systemd}, {@code autossh}, {@code ssh})
 * @param fix  one line saying how to install it or what to use instead
 */
public record Prerequisite(String name, String fix) {}
