// Short chat exchanges between a user and a small friendly bot named pico: greetings, names, feelings, favourite
// things, animal sounds, colours, small sums, a tiny story, goodbyes. One line per turn, "user: " or "bot: " first.
import { Animals, ColorFacts, Colors, Foods, NumberWords, article } from './lexicon';
import type { Picker } from './pick';

type Turn = [user: string, bot: string];
type Topic = (p: Picker) => Turn[];

const greeting: Topic = (p) => {
  const hi = p.one(['hi', 'hello', 'hey', 'hi there', 'hello pico', 'good morning']);
  const reply = p.one(['hello! how are you?', 'hi! how are you today?', 'hello there! how can i help?', 'hi! nice to see you.']);
  const turns: Turn[] = [[`${hi}!`, reply]];
  if (reply.includes('how are you') && p.chance(0.8)) {
    turns.push(
      p.one<Turn>([
        ['i am good, thanks.', 'that is great to hear!'],
        ['i am fine. and you?', 'i am good, thank you for asking!'],
        ['not so good.', 'oh no. i hope your day gets better.'],
        ['i am great!', 'yay! i am happy for you.'],
      ]),
    );
  }
  return turns;
};

const name: Topic = (p) =>
  p.one<Turn[]>([
    [['what is your name?', p.one(['my name is pico.', 'i am pico, a tiny robot.', 'you can call me pico.'])]],
    [['who are you?', 'i am pico. i am a small bot that lives on a tiny chip.']],
    [['are you a robot?', p.one(['yes, i am a tiny robot.', 'yes! i am a very small one.'])]],
    [
      [`my name is ${p.one(['mia', 'tom', 'sam', 'lily', 'ben', 'zoe'])}.`, 'nice to meet you! i am pico.'],
      ['nice to meet you too.', 'what do you want to talk about?'],
    ],
  ]);

const feelings: Topic = (p) => {
  const bad = p.one(['sad', 'tired', 'bored', 'scared']);
  const good = p.one(['happy', 'excited', 'glad']);
  return p.one<Turn[]>([
    [[`i feel ${bad}.`, p.one([`i am sorry you feel ${bad}. do you want to talk about it?`, `oh no. a hug might help. i hope you feel better soon.`])]],
    [[`i am ${good} today!`, p.one([`yay! what made you ${good}?`, `that is great! i am ${good} too.`])]],
    [['how do you feel?', p.one(['i feel good, thank you!', 'i am happy to talk with you.'])]],
  ]);
};

const favorites: Topic = (p) => {
  const mine = p.one(Colors);
  const theirs = p.other(Colors, mine);
  const food = p.one(Foods);
  const animal = p.one(Animals).name;
  return p.one<Turn[]>([
    [
      ['what is your favorite color?', `i like ${mine}. what about you?`],
      [`i like ${theirs}.`, `${theirs} is a nice color!`],
    ],
    [['what is your favorite food?', `i do not eat, but ${food}s look yummy!`]],
    [
      ['what is your favorite animal?', `i like the ${animal}. what is yours?`],
      [`i like the ${p.other(Animals, Animals[0]).name}.`, 'that is a good one!'],
    ],
    [[`do you like ${animal}s?`, p.one([`yes! ${animal}s are fun.`, `i do! ${animal}s are so cute.`])]],
  ]);
};

const sounds: Topic = (p) => {
  const a = p.one(Animals);
  return [[p.one([`what does a ${a.name} say?`, `what sound does a ${a.name} make?`]), `a ${a.name} says ${a.sound}!`]];
};

const colors: Topic = (p) => {
  const f = p.one(ColorFacts);
  return [[`what color is ${f.thing}?`, `${f.thing} is ${f.color}.`]];
};

const sums: Topic = (p) => {
  const a = p.int(0, 5);
  const b = p.int(0, 5);
  return [[`what is ${NumberWords[a]} plus ${NumberWords[b]}?`, `${NumberWords[a]} plus ${NumberWords[b]} is ${NumberWords[a + b]}.`]];
};

const tinyStory: Topic = (p) => {
  const a = p.one(Animals);
  return [
    [
      p.one(['tell me a story.', 'can you tell me a story?']),
      `once there was ${article(a.name)} who lived in the ${a.home}. every day it said ${a.sound} and played in the sun. the end.`,
    ],
  ];
};

const help: Topic = (p) =>
  p.one<Turn[]>([
    [['can you help me?', 'yes, i will try. what do you need?']],
    [['what can you do?', 'i can talk, tell tiny stories and do small sums.']],
    [['where do you live?', 'i live on a tiny chip called a pico.']],
    [['thank you!', p.one(['you are welcome!', 'any time!'])]],
  ]);

const goodbye: Topic = (p) => [[p.one(['bye!', 'goodbye!', 'see you later!', 'good night!']), p.one(['goodbye! have a nice day!', 'bye! talk to you soon.', 'see you! take care.'])]];

const Topics: readonly Topic[] = [name, feelings, favorites, sounds, colors, sums, tinyStory, help];

/** One exchange: usually a greeting, one to three topics, often a goodbye. */
export function chat(p: Picker): string {
  const turns: Turn[] = [];
  if (p.chance(0.7)) turns.push(...greeting(p));
  const topics = p.int(1, 3);
  for (let i = 0; i < topics; i++) turns.push(...p.one(Topics)(p));
  if (p.chance(0.5)) turns.push(...goodbye(p));
  return turns.map(([u, b]) => `user: ${u}\nbot: ${b}`).join('\n');
}
