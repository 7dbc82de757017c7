/**
 * What every feature of a node shares and that depends on no feature: the node's identity, its
 * counters, its worker pools and its lifecycle (serving, draining).
 */
package dev.switchboard.node;
