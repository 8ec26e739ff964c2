// The part of jStat (https://github.com/jstat/jstat) that experiments/distributions.ts uses.
declare module 'jstat' {
  interface Distribution {
    cdf(x: number, ...parameters: number[]): number;
    inv(p: number, ...parameters: number[]): number;
  }
  export const jStat: { normal: Distribution; studentt: Distribution };
}
