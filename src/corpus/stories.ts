// Short children's stories from a handful of plots, each told with varied sentences: who, where, what happened,
// how it ended. Lowercase ASCII; dialogue in double quotes. One story per call.
import {
  Animals, BadFeelings, Children, type Character, Foods, Games, GoodFeelings, HidingSpots, Looks, Places, Sizes, Skills, Things, Toys,
  Weather, article, sentences,
} from './lexicon';
import type { Picker } from './pick';

type Plot = (p: Picker) => string;

function opening(p: Picker, hero: Character, who: string): string {
  return p.one([
    `once upon a time, there was ${who} named ${hero.name}.`,
    `there once was ${who} called ${hero.name}.`,
    `${hero.name} was ${who}.`,
    `one day, ${who} named ${hero.name} woke up early.`,
    `long ago, in a little town, there lived ${who} named ${hero.name}.`,
  ]);
}

function kind(p: Picker, hero: Character): string {
  return hero.subject === 'she' ? p.one(['a little girl', 'a girl', 'a kind girl', 'a happy girl']) : p.one(['a little boy', 'a boy', 'a kind boy', 'a happy boy']);
}

function ending(p: Picker, a: string, b?: string): string {
  const both = b === undefined ? a : `${a} and ${b}`;
  return p.one([
    `${both} smiled.`,
    `it was a good day.`,
    `from that day on, ${both} ${b === undefined ? 'was' : 'were'} always happy.`,
    `the end.`,
    `${both} went home and had a nice nap.`,
    `that night, ${a} had sweet dreams.`,
  ]);
}

const lostAndFound: Plot = (p) => {
  const hero = p.one(Children);
  const friend = p.other(Children, hero);
  const toy = p.one(Toys);
  const color = p.one(['red', 'blue', 'green', 'yellow', 'pink']);
  const place = p.one(Places);
  const spot1 = p.one(HidingSpots);
  const spot2 = p.other(HidingSpots, spot1);
  const spot3 = p.other(HidingSpots, spot2);
  return sentences(
    opening(p, hero, kind(p, hero)),
    p.one([`${hero.subject} had ${article(color)} ${toy}.`, `${hero.name} had ${article(p.one(Looks))} ${color} ${toy}.`]),
    p.one([`${hero.subject} loved ${hero.possessive} ${toy} very much.`, `it was ${hero.possessive} best toy.`, `${hero.subject} took it everywhere.`]),
    p.one([`one day, ${hero.name} went to the ${place} and lost the ${toy}.`, `one day, the ${toy} was gone!`, `but one day, ${hero.name} could not find ${hero.possessive} ${toy}.`]),
    `${hero.subject} looked ${spot1}. ${hero.subject} looked ${spot2}.`,
    p.one([`${hero.name} was ${p.one(['sad', 'upset'])}.`, `${hero.name} began to cry.`, `"where is my ${toy}?" ${hero.subject} said.`]),
    p.one([`then ${friend.name} came by.`, `just then, ${hero.possessive} friend ${friend.name} came.`, `${friend.name} saw ${hero.name} and came to help.`]),
    p.one([`"i will help you," said ${friend.name}.`, `"do not be sad. we can look together," said ${friend.name}.`, `${friend.name} said, "let us look again."`]),
    p.one([`they looked ${spot3}.`, `they looked and looked.`]),
    p.one([`at last, they found the ${toy}!`, `there it was, the ${color} ${toy}!`, `and there was the ${toy}, ${spot3}!`]),
    p.one([`${hero.name} was so ${p.one(GoodFeelings)}.`, `${hero.name} gave ${friend.name} a big hug.`, `"thank you, ${friend.name}!" said ${hero.name}.`]),
    ending(p, hero.name, friend.name),
  );
};

const newFriend: Plot = (p) => {
  const hero = p.one(Children);
  const animal = p.one(Animals);
  const place = p.one(Places);
  const game = p.one(Games);
  const feeling = p.one(BadFeelings);
  return sentences(
    opening(p, hero, kind(p, hero)),
    p.one([`${hero.name} liked to play in the ${place}.`, `${hero.subject} lived near the ${place}.`, `every day, ${hero.name} went to the ${place}.`]),
    p.one([`but ${hero.subject} had no friends to play with.`, `${hero.subject} wanted a friend.`, `${hero.subject} felt ${p.one(['lonely', 'a bit sad'])}.`]),
    p.one([`one day, ${hero.subject} saw ${article(p.one(Sizes))} ${animal.name}.`, `one day, ${article(animal.name)} came out of the ${p.one(['grass', 'bushes', 'trees', 'water'])}.`]),
    p.one([`the ${animal.name} looked ${feeling}.`, `the ${animal.name} said, "${animal.sound}!"`, `the ${animal.name} was ${feeling} too.`]),
    p.one([`"hello," said ${hero.name}. "do you want to play?"`, `${hero.name} said, "hi! will you be my friend?"`, `"hello, little ${animal.name}," said ${hero.name}.`]),
    p.one([`the ${animal.name} said, "${animal.sound}!" that meant yes.`, `the ${animal.name} jumped up and down.`, `the ${animal.name} came closer.`]),
    p.one([`they played ${game} all day.`, `they ran and played together.`, `they played ${game} until the sun went down.`]),
    p.one([`now ${hero.name} had a friend.`, `${hero.name} was not ${feeling} anymore.`, `${hero.name} and the ${animal.name} became best friends.`]),
    ending(p, hero.name, `the ${animal.name}`),
  );
};

const helping: Plot = (p) => {
  const hero = p.one(Children);
  const friend = p.other(Children, hero);
  const animal = p.one(Animals);
  const trouble = p.one([
    { where: 'stuck in a tree', fix: 'climbed up and helped it down' },
    { where: 'stuck in the mud', fix: 'pulled it out of the mud' },
    { where: 'lost and far from home', fix: `took it back to its ${animal.home}` },
    { where: 'caught in a net', fix: 'cut the net and let it go' },
    { where: 'very hungry', fix: `gave it some ${p.one(Foods)}` },
  ]);
  return sentences(
    p.one([`${hero.name} and ${friend.name} went to the ${p.one(Places)}.`, `one morning, ${hero.name} and ${friend.name} went for a walk.`]),
    p.one([`they heard a sound. "${animal.sound}, ${animal.sound}!"`, `they saw ${article(animal.name)}.`, `then they heard a little cry.`]),
    `it was ${article(animal.name)}, and it was ${trouble.where}.`,
    p.one([`"we have to help it," said ${hero.name}.`, `"oh no!" said ${friend.name}. "what can we do?"`, `${hero.name} said, "do not be scared. we will help you."`]),
    p.one([`${hero.name} had an idea.`, `they thought and thought.`, `${friend.name} held ${hero.name}'s hand.`]),
    `they ${trouble.fix}.`,
    p.one([`the ${animal.name} was safe!`, `the ${animal.name} said, "${animal.sound}!" to say thank you.`, `the ${animal.name} was so happy.`]),
    p.one([`${hero.name} and ${friend.name} felt ${p.one(GoodFeelings)}.`, `it feels good to help, ${hero.name} thought.`, `they were glad they helped.`]),
    ending(p, hero.name, friend.name),
  );
};

const weatherDay: Plot = (p) => {
  const hero = p.one(Children);
  const w = p.one(Weather);
  const place = p.one(Places);
  const item = w.day === 'rainy' ? 'boots' : w.day === 'snowy' ? 'warm hat' : w.day === 'sunny' ? 'sun hat' : 'coat';
  return sentences(
    p.one([`it was a ${w.day} day.`, `one ${w.day} morning, ${hero.name} looked out the window.`, `the day was ${w.day}.`]),
    `${w.note}.`,
    p.one([`${hero.name} wanted to go to the ${place}.`, `"can we go to the ${place}?" ${hero.name} asked.`]),
    p.one([`mom said, "yes, but put on your ${item}."`, `dad said, "ok, take your ${item}."`, `mom gave ${hero.object} ${hero.possessive} ${item}.`]),
    p.one([`at the ${place}, ${hero.subject} saw ${article(p.one(Animals).name)}.`, `at the ${place}, ${hero.subject} found ${article(p.one(Looks))} ${p.one(Things)}.`, `at the ${place}, ${hero.subject} played with ${hero.possessive} ${p.one(Toys)}.`]),
    w.day === 'rainy'
      ? p.one([`${hero.subject} jumped in the puddles. splash!`, `${hero.subject} danced in the rain.`])
      : w.day === 'snowy'
        ? p.one([`${hero.subject} made a big snowman.`, `${hero.subject} made a snow angel.`])
        : w.day === 'windy'
          ? p.one([`${hero.subject} flew ${hero.possessive} kite high up in the sky.`, `${hero.possessive} hat flew away, and ${hero.subject} ran after it.`])
          : p.one([`${hero.subject} ran and played all day.`, `${hero.subject} had a picnic with ${article(p.one(Foods))}.`]),
    p.one([`${hero.name} had so much fun.`, `it was the best day.`, `${hero.subject} laughed and laughed.`]),
    ending(p, hero.name),
  );
};

const sharing: Plot = (p) => {
  const hero = p.one(Children);
  const friend = p.other(Children, hero);
  const food = p.one(Foods);
  const n = p.one(['two', 'three', 'four']);
  return sentences(
    opening(p, hero, kind(p, hero)),
    p.one([`${hero.subject} had ${n} ${food}s in ${hero.possessive} bag.`, `mom gave ${hero.object} ${n} ${food}s.`]),
    p.one([`at lunch, ${hero.subject} saw ${friend.name}.`, `at the ${p.one(Places)}, ${hero.subject} met ${friend.name}.`]),
    p.one([`${friend.name} had no food and looked ${p.one(['sad', 'hungry'])}.`, `${friend.name} was hungry.`]),
    p.one([`${hero.name} wanted to eat all the ${food}s.`, `${hero.name} looked at ${hero.possessive} ${food}s.`]),
    p.one([`but then ${hero.subject} gave one to ${friend.name}.`, `"here, you can have one," said ${hero.name}.`, `${hero.subject} shared ${hero.possessive} ${food}s with ${friend.name}.`]),
    p.one([`"thank you!" said ${friend.name}.`, `${friend.name} smiled a big smile.`]),
    p.one([`they ate the ${food}s together.`, `they sat and ate under a tree.`]),
    p.one([`sharing made them both happy.`, `${hero.name} learned that sharing is fun.`, `it was more fun to eat together.`]),
    ending(p, hero.name, friend.name),
  );
};

const learning: Plot = (p) => {
  const hero = p.one(Children);
  const skill = p.one(Skills);
  return sentences(
    opening(p, hero, kind(p, hero)),
    p.one([`${hero.subject} wanted to ${skill.want}.`, `${hero.name} wanted to learn to ${skill.want}.`]),
    p.one([`at first, it was hard.`, `${hero.subject} tried, but it was too hard.`, `the first time, it did not work.`]),
    p.one([`${hero.name} felt ${p.one(['sad', 'upset', 'tired'])}.`, `"i can not do it," said ${hero.name}.`]),
    p.one([`mom said, "try again. you can do it!"`, `dad said, "do not give up."`, `${hero.possessive} friend said, "keep trying!"`]),
    p.one([`so ${hero.subject} tried again and again.`, `${hero.name} tried one more time.`, `${hero.subject} did not give up.`]),
    `at last, ${hero.name} ${skill.did}!`,
    p.one([`${hero.subject} was so proud.`, `"i did it!" ${hero.subject} said.`, `everyone cheered for ${hero.name}.`]),
    ending(p, hero.name),
  );
};

const Plots: readonly Plot[] = [lostAndFound, newFriend, helping, weatherDay, sharing, learning];

/** One story, a single paragraph. */
export function story(p: Picker): string {
  return p.one(Plots)(p);
}
