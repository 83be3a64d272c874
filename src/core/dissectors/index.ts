// Loads every dissector module (each registers its fields and hand-offs) and exports the frame entry point.
import './data';
// link layers
import './eth';
import './vlan';
import './llc';
import './null';
import './raw';
import './sll';
// network
import './arp';
import './ipv4';
import './ipv6';
import './icmp';
import './icmpv6';
// transport
import './udp';
import './tcp';
// applications
import './dns';
import './http';
import './tls';
import './dhcp';
export { dissectFrame } from './frame';
