/**
 * Reads a learner's Keras script into a KerasModelDescription without running it: the first
 * `Sequential([...])` literal (or `Sequential()` followed by `model.add(...)` calls), the model's
 * `compile(...)` and `fit(...)` arguments, and the data preparation calls beside it (`Tokenizer`,
 * `pad_sequences`, `imdb.load_data`). Names assigned a literal in the file (`vocab_size = 10000`)
 * are substituted; any other expression is reported with its line and left out.
 */
import { KerasImportError } from './fromJson';
import type { ImportIssue, KerasModelDescription, KerasObject, KerasValue, Origin } from './kerasModel';
import { describeValue, isKerasObject, isUnreadable } from './kerasModel';
import { ExpressionParser, type PyExpr, type Span } from './pythonExpression';
import { PythonSyntaxError, tokenizePython, type Token } from './pythonTokens';

/**
 * Positional parameters of the Keras callables the import reads, in signature order (Keras 3 and
 * the Keras 2 `tf.keras` equivalents agree on these leading parameters).
 */
const SIGNATURES: Record<string, string[]> = {
  Sequential: ['layers', 'name'],
  Embedding: ['input_dim', 'output_dim'],
  SimpleRNN: ['units', 'activation', 'use_bias'],
  LSTM: ['units', 'activation', 'recurrent_activation', 'use_bias'],
  GRU: ['units', 'activation', 'recurrent_activation', 'use_bias'],
  Dense: ['units', 'activation', 'use_bias'],
  Dropout: ['rate', 'noise_shape', 'seed'],
  Bidirectional: ['layer', 'merge_mode'],
  TimeDistributed: ['layer'],
  Input: ['shape', 'batch_size', 'dtype'],
  InputLayer: ['input_shape', 'batch_size', 'dtype'],
  Activation: ['activation'],
  Adam: ['learning_rate', 'beta_1', 'beta_2', 'epsilon', 'amsgrad'],
  RMSprop: ['learning_rate', 'rho', 'momentum', 'epsilon', 'centered'],
  SGD: ['learning_rate', 'momentum', 'nesterov'],
  EarlyStopping: ['monitor', 'min_delta', 'patience', 'verbose', 'mode', 'baseline', 'restore_best_weights'],
  Tokenizer: ['num_words', 'filters', 'lower', 'split', 'char_level', 'oov_token'],
  pad_sequences: ['sequences', 'maxlen', 'dtype', 'padding', 'truncating', 'value'],
  'imdb.load_data': ['path', 'num_words', 'skip_top', 'maxlen', 'seed', 'start_char', 'oov_char', 'index_from'],
  compile: ['optimizer', 'loss', 'metrics', 'loss_weights'],
  fit: ['x', 'y', 'batch_size', 'epochs', 'verbose', 'callbacks', 'validation_split', 'validation_data', 'shuffle', 'class_weight'],
};

const PREPROCESSING = ['Tokenizer', 'pad_sequences', 'imdb.load_data'];

/** Throws KerasImportError when the file has no Sequential model (or cannot be tokenized). */
export function readKerasPython(source: string): KerasModelDescription {
  let tokens: Token[];
  try {
    tokens = tokenizePython(source);
  } catch (error) {
    if (!(error instanceof PythonSyntaxError)) throw error;
    throw new KerasImportError(`The Python file cannot be read: ${error.message} (line ${error.line}).`, { where: 'Python syntax', line: error.line, column: error.column });
  }
  return new PythonReader(source, tokens).read();
}

interface Assignment {
  line: number;
  value: KerasValue;
}

class PythonReader {
  private readonly parser: ExpressionParser;
  private readonly issues: ImportIssue[] = [];
  private readonly constants = new Map<string, Assignment[]>();
  private readonly modelVariables = new Set<string>();
  private readonly layers: KerasObject[] = [];
  private readonly preprocessing: KerasObject[] = [];
  private inputShape?: KerasModelDescription['inputShape'];
  private compile?: KerasObject;
  private fit?: KerasObject;
  private name?: string;
  private sequentialFound = false;
  /** The model was built inside a function: any `.compile(`/`.fit(` receiver may be it. */
  private anonymousModel = false;

  constructor(
    private readonly source: string,
    private readonly tokens: readonly Token[],
  ) {
    this.parser = new ExpressionParser(tokens);
  }

  read(): KerasModelDescription {
    this.collectConstants();
    for (let index = 0; index < this.tokens.length; index++) index = this.visit(index);
    if (!this.sequentialFound) {
      const functional = this.tokens.find((token, i) => token.kind === 'name' && (token.text === 'Model' || token.text === 'Functional') && this.parser.isOp(i + 1, '('));
      throw new KerasImportError(
        functional
          ? 'This file builds a functional model (`Model(inputs, outputs)`); only Sequential models can be imported from Python. Save it with `model.to_json()` and import the JSON if its layers form one chain.'
          : 'No `Sequential(...)` model was found in this file. Import a file that builds a keras.Sequential model, or its `model.to_json()` output.',
        { where: 'the file', line: functional?.line ?? 1, column: functional?.column ?? 1 },
      );
    }
    return {
      format: 'Python',
      ...(this.name ? { name: this.name } : {}),
      layers: this.layers,
      ...(this.inputShape ? { inputShape: this.inputShape } : {}),
      ...(this.compile ? { compile: this.compile } : {}),
      ...(this.fit ? { fit: this.fit } : {}),
      preprocessing: this.preprocessing,
      issues: this.issues,
    };
  }

  /** `NAME = <literal>` anywhere (a first pass, so uses before the assignment's line are not resolved). */
  private collectConstants(): void {
    for (let index = 0; index < this.tokens.length; index++) {
      const token = this.tokens[index]!;
      const startsStatement = index === 0 || this.tokens[index - 1]!.kind === 'newline' || this.parser.isOp(index - 1, ';');
      if (!startsStatement || token.kind !== 'name' || !this.parser.isOp(index + 1, '=')) continue;
      const { expr } = this.parser.expression(index + 2);
      const value = this.literal(expr);
      if (value === undefined) continue;
      const assignments = this.constants.get(token.text) ?? [];
      assignments.push({ line: token.line, value });
      this.constants.set(token.text, assignments);
    }
  }

  /** A literal value (numbers, strings, booleans, None, lists/tuples of them, arithmetic), else undefined. */
  private literal(expr: PyExpr): KerasValue | undefined {
    switch (expr.kind) {
      case 'literal':
        return expr.value;
      case 'list':
      case 'tuple': {
        const items = expr.items.map((item) => this.literal(item));
        return items.every((item) => item !== undefined) ? (items as KerasValue[]) : undefined;
      }
      case 'negate': {
        const operand = this.literal(expr.operand);
        return typeof operand === 'number' ? -operand : undefined;
      }
      case 'binary':
        return arithmetic(expr.op, this.literal(expr.left), this.literal(expr.right));
      case 'name':
        return expr.path.length === 1 ? this.constantAt(expr.path[0]!, expr.span.line) : undefined;
      default:
        return undefined;
    }
  }

  /** The value of the last assignment to `name` above `line`. */
  private constantAt(name: string, line: number): KerasValue | undefined {
    const before = (this.constants.get(name) ?? []).filter((assignment) => assignment.line < line);
    return before[before.length - 1]?.value;
  }

  /** Looks at the token at `index`; returns the index of the last token it consumed. */
  private visit(index: number): number {
    const token = this.tokens[index]!;
    if (token.kind !== 'name') return index;
    const path = [token.text];
    let next = index + 1;
    while (this.parser.isOp(next, '.') && this.parser.token(next + 1).kind === 'name') {
      path.push(this.parser.token(next + 1).text);
      next += 2;
    }
    if (!this.parser.isOp(next, '(')) return next - 1;
    const last = path[path.length - 1]!;
    const receiver = path.length === 2 ? path[0]! : undefined;
    const ofModel = receiver !== undefined && (this.modelVariables.has(receiver) || this.anonymousModel);
    if (last === 'Sequential') return this.sequential(index);
    if (last === 'add' && receiver !== undefined && this.modelVariables.has(receiver)) return this.add(index);
    if ((last === 'compile' || last === 'fit') && ofModel) return this.modelCall(index, last);
    const preprocessing = PREPROCESSING.find((name) => path.join('.').endsWith(name));
    if (preprocessing) return this.preprocessingCall(index, preprocessing);
    return index;
  }

  private sequential(index: number): number {
    const { expr, next } = this.parser.expression(index);
    if (this.sequentialFound) {
      this.issues.push({ severity: 'warning', message: 'The file builds a second Sequential model here; only the first one was imported.', origin: this.origin(expr.span) });
      return next - 1;
    }
    this.sequentialFound = true;
    const assigned = index >= 2 && this.parser.isOp(index - 1, '=') && this.tokens[index - 2]!.kind === 'name' ? this.tokens[index - 2]!.text : undefined;
    if (assigned) this.modelVariables.add(assigned);
    else this.anonymousModel = true;
    if (expr.kind !== 'call') return next - 1;
    const call = this.call(expr, 'Sequential');
    const name = call.config.name;
    if (typeof name === 'string') this.name = name;
    const list = expr.args[0] ?? expr.kwargs.find((keyword) => keyword.name === 'layers')?.value;
    if (list?.kind === 'list' || list?.kind === 'tuple') {
      for (const item of list.items) this.addLayer(this.value(item), this.origin(item.span));
    } else if (list) {
      this.unreadable(this.value(list), this.origin(list.span), 'The layer list');
    }
    return next - 1;
  }

  private add(index: number): number {
    const { expr, next } = this.parser.expression(index);
    if (expr.kind === 'call') {
      const [layer] = expr.args;
      if (layer) this.addLayer(this.value(layer), this.origin(layer.span));
    }
    return next - 1;
  }

  private addLayer(value: KerasValue, origin: Origin): void {
    if (!isKerasObject(value)) {
      this.unreadable(value, origin, 'The layer');
      return;
    }
    if (value.className === 'Input' || value.className === 'InputLayer') {
      const shape = value.config.shape ?? value.config.input_shape;
      const batchShape = value.config.batch_shape ?? value.config.batch_input_shape;
      if (Array.isArray(batchShape)) this.setInputShape(batchShape, value.origin);
      else if (Array.isArray(shape)) this.setInputShape([null, ...shape], value.origin);
      return;
    }
    if (this.layers.length === 0) {
      const { input_shape: shape, batch_input_shape: batchShape, input_length: inputLength } = value.config;
      if (Array.isArray(batchShape)) this.setInputShape(batchShape, value.origins.batch_input_shape ?? value.origin);
      else if (Array.isArray(shape)) this.setInputShape([null, ...shape], value.origins.input_shape ?? value.origin);
      else if (typeof inputLength === 'number') this.setInputShape([null, inputLength], value.origins.input_length ?? value.origin);
    }
    this.layers.push(value);
  }

  private setInputShape(shape: KerasValue[], origin: Origin): void {
    if (!shape.every((dimension) => dimension === null || typeof dimension === 'number')) return;
    this.inputShape ??= { shape: shape as (number | null)[], origin };
  }

  private modelCall(index: number, method: 'compile' | 'fit'): number {
    const { expr, next } = this.parser.expression(index);
    if (expr.kind === 'call' && !this[method]) this[method] = this.call(expr, method);
    return next - 1;
  }

  private preprocessingCall(index: number, className: string): number {
    const { expr, next } = this.parser.expression(index);
    if (expr.kind === 'call') this.preprocessing.push(this.call(expr, className));
    return next - 1;
  }

  /** A call as a Keras object: positional arguments named after the signature, values converted. */
  private call(expr: Extract<PyExpr, { kind: 'call' }>, className = expr.callee[expr.callee.length - 1]!): KerasObject {
    const config: Record<string, KerasValue> = {};
    const origins: Record<string, Origin> = {};
    const signature = SIGNATURES[className];
    expr.args.forEach((argument, position) => {
      // Positional arguments of a call the import does not map (a metric, a data loader) are not read.
      if (!signature) return;
      const name = signature[position];
      if (!name) {
        this.issues.push({
          severity: 'warning',
          message: `${className}(): positional argument ${position + 1} is not understood by the importer; name it (\`keyword=value\`) or remove it.`,
          origin: this.origin(argument.span),
        });
        return;
      }
      config[name] = this.value(argument);
      origins[name] = this.origin(argument.span);
    });
    for (const keyword of expr.kwargs) {
      config[keyword.name] = this.value(keyword.value);
      origins[keyword.name] = this.origin(keyword.span);
    }
    return { kind: 'object', className, config, origin: this.origin(expr.span), origins };
  }

  private value(expr: PyExpr): KerasValue {
    const literal = this.literal(expr);
    if (literal !== undefined) return literal;
    switch (expr.kind) {
      case 'call':
        return this.call(expr);
      case 'list':
      case 'tuple':
        return expr.items.map((item) => this.value(item));
      case 'dict': {
        const entries: Record<string, KerasValue> = {};
        for (const [key, value] of expr.entries) {
          const name = this.literal(key);
          if (typeof name === 'string' || typeof name === 'number') entries[String(name)] = this.value(value);
        }
        return { kind: 'mapping', entries };
      }
      case 'name':
        // `tf.nn.relu`, `keras.activations.sigmoid`: a Keras function by its name.
        if (expr.path.length > 1) return expr.path[expr.path.length - 1]!;
        return this.unreadableExpr(expr, `\`${expr.path[0]}\` is not assigned a literal above this line`);
      case 'unsupported':
        return this.unreadableExpr(expr, expr.reason);
      default:
        return this.unreadableExpr(expr, 'arithmetic on something other than numbers');
    }
  }

  private unreadableExpr(expr: PyExpr, reason: string): KerasValue {
    return { kind: 'unreadable', text: this.source.slice(expr.span.start, expr.span.end), reason, origin: this.origin(expr.span) };
  }

  /** A layer (or the layer list) that is not a layer call: reported, left out. */
  private unreadable(value: KerasValue, origin: Origin, what: string): void {
    const reason = isUnreadable(value) ? ` (${value.reason})` : '';
    this.issues.push({ severity: 'error', message: `${what} ${describeValue(value)} could not be read${reason}; it was left out.`, origin });
  }

  private origin(span: Span): Origin {
    const text = this.source.slice(span.start, span.end).replace(/\s+/g, ' ');
    return { where: text.length > 60 ? `${text.slice(0, 57)}...` : text, line: span.line, column: span.column };
  }
}

function arithmetic(op: string, left: KerasValue | undefined, right: KerasValue | undefined): KerasValue | undefined {
  if (typeof left === 'string' && typeof right === 'string' && op === '+') return left + right;
  if (typeof left !== 'number' || typeof right !== 'number') return undefined;
  switch (op) {
    case '+':
      return left + right;
    case '-':
      return left - right;
    case '*':
      return left * right;
    case '/':
      return left / right;
    case '//':
      return Math.floor(left / right);
    case '%':
      return left - right * Math.floor(left / right);
    case '**':
      return left ** right;
    default:
      return undefined;
  }
}
