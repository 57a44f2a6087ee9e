import { createHash, randomBytes } from 'node:crypto';

// Kubernetes' "safe" alphabet for generated names (no vowels, no confusable characters).
const ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

function encode(bytes: Buffer, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[(bytes[i % bytes.length] ?? 0) % ALPHABET.length];
  return out;
}

/**
 * A pod name like Kubernetes gives a Deployment's pod: `<deployment>-<template-hash>-<suffix>`.
 * The template hash is stable for the same template (like pod-template-hash); the suffix is random.
 */
export function podName(deployment: string, template: string, random: () => Buffer = () => randomBytes(5)): string {
  const hash = encode(createHash('sha256').update(template).digest(), 10);
  return `${deployment}-${hash}-${encode(random(), 5)}`;
}
