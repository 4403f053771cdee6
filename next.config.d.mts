import type { NextConfig } from "next";

/** next.config.mjs: the config for a Next.js phase (the plugins are loaded only to build). */
export default function config(phase: string): Promise<NextConfig>;
