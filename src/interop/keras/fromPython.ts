/**
 * Reads a learner's Keras script into a KerasModelDescription without running it: the first
 * `Sequential([...])` literal (or `Sequential()` followed by `model.add(...)` calls), the model's
 * `compile(...)` and `fit(...)` arguments, and the data preparation calls beside it (`Tokenizer`,
 * `pad_sequences`, `imdb.load_data`). Names are followed statement by statement as Python binds
 * them: a literal (`vocab_size = 10000`), arithmetic on earlier names (`units += 16`), tuple
 * assignment (`units, dim = 8, 4`), and a list of layer calls (`stack = [...]`, `stack.append(...)`)
 * are substituted; a name bound to anything else, or inside a `for`/`while`/`if`/`try` block
 * (which the importer does not run), is unknown from there on and reported where it is used, as
 * is a `model.add` inside such a block. Nothing Python would not have is ever imported.
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
    throw new KerasImportError(`Python syntax error: ${error.message}. Fix it (python3 -m py_compile shows it too), then import again; nothing was written.`, { where: 'Python syntax', line: error.line, column: error.column });
  }
  return new PythonReader(source, tokens).read();
}

/** One binding of a name: its value when the importer can follow it, else why not. */
interface Assignment {
  /** Offset just after the statement: uses from there on see this value. */
  after: number;
  value?: KerasValue;
  /** A list or tuple of expressions (layer calls), for `Sequential(name)`. */
  items?: PyExpr[];
  /** Why the value is unknown (when `value` and `items` are absent). */
  why?: string;
}

/** A compound statement's header (`for ... :`), and the indentation of its line. */
interface Block {
  keyword: string;
  line: number;
  column: number;
  indent: number;
  /** Its body runs zero or more times depending on values the importer does not know. */
  conditional: boolean;
}

const COMPOUND = new Set(['if', 'elif', 'else', 'for', 'while', 'try', 'except', 'finally', 'with', 'def', 'class', 'match', 'case', 'async']);
const CONDITIONAL = new Set(['if', 'elif', 'else', 'for', 'while', 'try', 'except', 'finally', 'match', 'case']);
const AUGMENTED = ['+=', '-=', '*=', '/=', '//=', '%=', '**='];

class PythonReader {
  private readonly parser: ExpressionParser;
  private readonly issues: ImportIssue[] = [];
  private readonly constants = new Map<string, Assignment[]>();
  /** The innermost conditional block around each token (by index), if any. */
  private readonly blockAt: (Block | undefined)[] = [];
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

  /**
   * Walks the file statement by statement (logical lines, indentation giving the blocks) and
   * records every binding of a name in order, so that a use sees the value Python would have.
   */
  private collectConstants(): void {
    const stack: Block[] = [];
    let start = 0;
    while (start < this.tokens.length && this.tokens[start]!.kind !== 'end') {
      const first = this.tokens[start]!;
      if (first.kind === 'newline') {
        start++;
        continue;
      }
      let end = start;
      while (this.tokens[end]!.kind !== 'newline' && this.tokens[end]!.kind !== 'end') end++;
      while (stack.length > 0 && stack[stack.length - 1]!.indent >= first.column) stack.pop();
      const keyword = first.kind === 'name' && COMPOUND.has(first.text) ? (first.text === 'async' ? this.tokens[start + 1]!.text : first.text) : undefined;
      const header = keyword ? { keyword, line: first.line, column: first.column, indent: first.column, conditional: CONDITIONAL.has(keyword) } : undefined;
      const enclosing = [...stack, ...(header ? [header] : [])].reverse().find((block) => block.conditional);
      for (let at = start; at < end; at++) this.blockAt[at] = enclosing;
      if (header?.keyword === 'for') this.loopTargets(start, end, header);
      if (!header) {
        for (const [from, to] of this.simpleStatements(start, end)) this.binding(from, to, enclosing);
      }
      if (header) stack.push(header);
      start = end + 1;
    }
  }

  /** The `;`-separated statements of one logical line, as [start, end) token ranges. */
  private simpleStatements(start: number, end: number): [number, number][] {
    const ranges: [number, number][] = [];
    let from = start;
    for (const at of this.topLevelOperators(start, end)) {
      if (this.tokens[at]!.text !== ';') continue;
      ranges.push([from, at]);
      from = at + 1;
    }
    if (from < end) ranges.push([from, end]);
    return ranges;
  }

  /** Positions of the operator tokens in [start, end) outside any bracket (`;`, `=`, `+=`...). */
  private *topLevelOperators(start: number, end: number): Generator<number> {
    let depth = 0;
    for (let at = start; at < end; at++) {
      const token = this.tokens[at]!;
      if (token.kind !== 'op') continue;
      if ('([{'.includes(token.text)) depth++;
      else if (')]}'.includes(token.text)) depth--;
      else if (depth === 0) yield at;
    }
  }

  /** `for a, b in ...:` binds its targets to values the importer does not know. */
  private loopTargets(start: number, end: number, block: Block): void {
    const after = this.tokens[end]!.start;
    for (let at = start + 1; at < end && !(this.tokens[at]!.kind === 'name' && this.tokens[at]!.text === 'in'); at++) {
      const token = this.tokens[at]!;
      if (token.kind === 'name') this.bind(token.text, { after, why: `\`${token.text}\` is the loop variable of the \`for\` at line ${block.line}:${block.column}, whose values the importer does not follow` });
    }
  }

  /** One simple statement: `a = ...`, `a = b = ...`, `a, b = ...`, `a: int = ...`, `a += ...`, `stack.append(...)`. */
  private binding(start: number, end: number, block: Block | undefined): void {
    const after = this.tokens[end - 1]!.end;
    const place = (token: Token) => `line ${token.line}:${token.column}`;
    const inBlock = block ? `assigned inside the \`${block.keyword}\` at line ${block.line}:${block.column}, which the importer does not follow` : undefined;
    const equals: number[] = [];
    let augmented: number | undefined;
    for (const at of this.topLevelOperators(start, end)) {
      const text = this.tokens[at]!.text;
      if (text === '=') equals.push(at);
      else if (augmented === undefined && AUGMENTED.includes(text)) augmented = at;
    }
    const first = this.tokens[start]!;
    if (augmented !== undefined && equals.length === 0) {
      if (first.kind !== 'name' || augmented !== start + 1) return this.forgetTarget(start, after, `changed at ${place(first)}`);
      const name = first.text;
      const op = this.tokens[augmented]!.text.slice(0, -1);
      const { expr } = this.parser.expression(augmented + 1);
      const previous = this.latest(name, first.start);
      const right = this.literal(expr);
      const items = previous?.items && op === '+' && (expr.kind === 'list' || expr.kind === 'tuple') ? [...previous.items, ...expr.items] : undefined;
      const value = previous?.value !== undefined ? arithmetic(op, previous.value, right) : undefined;
      if (inBlock) return this.bind(name, { after, why: `\`${name}\` is ${inBlock}` });
      if (items) return this.bind(name, { after, items });
      return this.bind(name, value !== undefined ? { after, value } : { after, why: `\`${name}\` is changed at ${place(first)} in a way the importer does not read` });
    }
    if (equals.length === 0) return this.listMethod(start, after, block);
    const valueStart = equals[equals.length - 1]! + 1;
    const listed = this.expressionList(valueStart, end);
    const targets = [start, ...equals.slice(0, -1).map((at) => at + 1)];
    targets.forEach((target, position) => {
      const names = this.targetNames(target, equals[position]!);
      if (!names) return this.forgetTarget(target, after, `changed at ${place(this.tokens[target]!)}`);
      // `a, b = (1, 2)` unpacks the one tuple; `a = 1, 2` binds it whole.
      const single = listed.length === 1 ? listed[0]! : undefined;
      const values = names.length > 1 && (single?.kind === 'tuple' || single?.kind === 'list') ? single.items : listed;
      names.forEach((name, index) => {
        const why = (reason: string) => ({ after, why: `\`${name}\` is ${reason}` });
        if (inBlock) return this.bind(name, why(inBlock));
        const expr = names.length === 1 && values.length === 1 ? values[0] : names.length > 1 && values.length === names.length ? values[index] : undefined;
        if (!expr) return this.bind(name, why(`assigned at ${place(this.tokens[target]!)} from values the importer cannot pair with its names`));
        const value = this.literal(expr);
        if (value !== undefined) return this.bind(name, { after, value });
        if (expr.kind === 'list' || expr.kind === 'tuple') return this.bind(name, { after, items: expr.items });
        this.bind(name, why(`assigned at ${place(this.tokens[target]!)} something other than a literal`));
      });
    });
  }

  /** `stack.append(layer)` extends a list of layers; any other call on a name bound to one makes it unknown. */
  private listMethod(start: number, after: number, block: Block | undefined): void {
    const first = this.tokens[start]!;
    if (first.kind !== 'name' || !this.parser.isOp(start + 1, '.') || !this.parser.isOp(start + 3, '(')) return;
    const previous = this.latest(first.text, first.start);
    if (!previous?.items) return;
    const method = this.tokens[start + 2]!.text;
    const { expr } = this.parser.expression(start);
    if (!block && method === 'append' && expr.kind === 'call' && expr.args.length === 1) return this.bind(first.text, { after, items: [...previous.items, expr.args[0]!] });
    const where = block ? ` inside the \`${block.keyword}\` at line ${block.line}:${block.column}, which the importer does not follow` : '';
    this.bind(first.text, { after, why: `\`${first.text}\` is changed by \`.${method}(...)\` at line ${first.line}:${first.column}${where}` });
  }

  /** Comma-separated expressions from `start` to `end` (a bare tuple is its items). */
  private expressionList(start: number, end: number): PyExpr[] {
    const items: PyExpr[] = [];
    let at = start;
    while (at < end) {
      const { expr, next } = this.parser.expression(at);
      items.push(expr);
      if (!this.parser.isOp(next, ',')) break;
      at = next + 1;
    }
    return items;
  }

  /** The names a target from `start` to `stop` binds (`a`, `a, b`, `(a, b)`, `a: int`), or undefined for `x.y`, `x[i]`. */
  private targetNames(start: number, stop: number): string[] | undefined {
    if (this.tokens[start]!.kind === 'name' && this.parser.isOp(start + 1, ':')) return [this.tokens[start]!.text];
    const names: string[] = [];
    for (let at = start; at < stop; at++) {
      const token = this.tokens[at]!;
      if (token.kind === 'name') {
        if (this.parser.isOp(at + 1, '.') || this.parser.isOp(at + 1, '[') || this.parser.isOp(at + 1, '(')) return undefined;
        names.push(token.text);
      } else if (!(token.kind === 'op' && ['(', ')', '[', ']', ','].includes(token.text))) return undefined;
    }
    return names.length > 0 ? names : undefined;
  }

  /** `cfg["units"] = 5`, `cfg.units = 5`: the name the target starts with is no longer known. */
  private forgetTarget(start: number, after: number, how: string): void {
    const token = this.tokens[start]!;
    if (token.kind === 'name' && this.constants.has(token.text)) this.bind(token.text, { after, why: `\`${token.text}\` is ${how}` });
  }

  private bind(name: string, assignment: Assignment): void {
    const assignments = this.constants.get(name) ?? [];
    assignments.push(assignment);
    this.constants.set(name, assignments);
  }

  /** The binding of `name` in force at source offset `offset`. */
  private latest(name: string, offset: number): Assignment | undefined {
    const before = (this.constants.get(name) ?? []).filter((assignment) => assignment.after <= offset);
    return before[before.length - 1];
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
        return expr.path.length === 1 ? this.latest(expr.path[0]!, expr.span.start)?.value : undefined;
      default:
        return undefined;
    }
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
    const named = list?.kind === 'name' && list.path.length === 1 ? this.latest(list.path[0]!, list.span.start)?.items : undefined;
    if (list?.kind === 'list' || list?.kind === 'tuple') {
      for (const item of list.items) this.addLayer(this.value(item), this.origin(item.span));
    } else if (named) {
      for (const item of named) this.addLayer(this.value(item), this.origin(item.span));
    } else if (list) {
      this.unreadable(this.value(list), this.origin(list.span), 'The layer list');
    }
    return next - 1;
  }

  private add(index: number): number {
    const { expr, next } = this.parser.expression(index);
    const block = this.blockAt[index];
    if (block) {
      this.issues.push({
        severity: 'error',
        message: `This \`add\` is inside the \`${block.keyword}\` at line ${block.line}:${block.column}, which the importer does not follow (it never runs the file), so its layer was left out: write the layers out in order, or import \`model.to_json()\`.`,
        origin: this.origin(expr.span),
      });
      return next - 1;
    }
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
        return this.unreadableExpr(expr, this.latest(expr.path[0]!, expr.span.start)?.why ?? `\`${expr.path[0]}\` is not assigned a literal above this line`);
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
