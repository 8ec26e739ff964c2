/**
 * `seqlab generate <run> --seed "<text>"`: continues a text with a next-token model and streams it
 * to stdout, token by token. Seeded: the draws come from the run's `data.seed` and `--sample`, so
 * the same command prints the same text (on the same backend).
 */
import { GenerationError, generateTokens, generationRandom, nextTokenModel } from '../../tasks/generation';
import type { Command } from '../args';
import { CliError, EXIT_OK } from '../errors';
import { formatMetric } from '../format';
import type { Output } from './io';
import { withPredictor } from './predict';

/** Where the text goes as it is generated: stdout, written without line breaks of its own. */
export interface TextStream {
  write(text: string): boolean;
}

export async function runGenerate(command: Extract<Command, { name: 'generate' }>, out: Output, stream: TextStream): Promise<number> {
  await withPredictor(command.run, command.backend, (predictor) => {
    try {
      const window = predictor.encoder.state.timesteps;
      const model = nextTokenModel(predictor.encoder.state, (ids) => predictor.outputFor({ x: ids, shape: [1, window], tokens: [] }));
      const random = generationRandom(predictor.spec.data.seed, command.sample);
      const separator = model.level === 'char' ? '' : ' ';
      let probability = 0;
      let count = 0;
      for (const token of generateTokens(model, command, random)) {
        if (count === 0) stream.write(model.level === 'char' ? command.seed : command.seed.trimEnd());
        stream.write(separator + token.token);
        probability += token.p;
        count++;
      }
      stream.write('\n');
      out.stderr(
        `${count} ${model.level === 'char' ? 'characters' : 'words'} · temperature ${command.temperature} · top-k ${command.topK === 0 ? 'all' : command.topK} · sample ${command.sample} · mean probability of the drawn tokens ${formatMetric(probability / count)}`,
      );
    } catch (error) {
      if (error instanceof GenerationError) throw new CliError(error.message);
      throw error;
    }
  });
  return EXIT_OK;
}
